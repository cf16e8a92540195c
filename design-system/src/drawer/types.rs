//! The placement of `Drawer`. Never holds behaviour.

/// Which edge a drawer slides from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DrawerPlacement {
    /// The trailing edge (right in left-to-right pages): carts, filters.
    #[default]
    End,
    /// The leading edge: navigation.
    Start,
}

impl DrawerPlacement {
    /// Every placement, for stories and pickers.
    pub const ALL: [DrawerPlacement; 2] = [Self::End, Self::Start];

    /// The modifier name (`ts-drawer--end`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::End => "end",
            Self::Start => "start",
        }
    }
}
