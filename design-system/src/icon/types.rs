//! The names of the built-in icons. Never holds drawing code.

/// A built-in icon.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IconName {
    /// A right-pointing chevron.
    #[default]
    ChevronRight,
    /// A left-pointing chevron.
    ChevronLeft,
    /// A cross, for close and remove.
    Close,
    /// A plus sign.
    Plus,
    /// A minus sign.
    Minus,
    /// A tick.
    Check,
    /// A heart, for wish lists.
    Heart,
    /// A shopping bag.
    Bag,
    /// A magnifying glass.
    Search,
    /// A circled i.
    Info,
}

impl IconName {
    /// Every icon, for stories and pickers.
    pub const ALL: [IconName; 10] = [
        Self::ChevronRight,
        Self::ChevronLeft,
        Self::Close,
        Self::Plus,
        Self::Minus,
        Self::Check,
        Self::Heart,
        Self::Bag,
        Self::Search,
        Self::Info,
    ];

    /// The icon's name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::ChevronRight => "chevron-right",
            Self::ChevronLeft => "chevron-left",
            Self::Close => "close",
            Self::Plus => "plus",
            Self::Minus => "minus",
            Self::Check => "check",
            Self::Heart => "heart",
            Self::Bag => "bag",
            Self::Search => "search",
            Self::Info => "info",
        }
    }

    /// The SVG path data on a 24 × 24 grid, drawn with a stroke.
    pub(crate) fn path(&self) -> &'static str {
        match self {
            Self::ChevronRight => "M9 5l7 7-7 7",
            Self::ChevronLeft => "M15 5l-7 7 7 7",
            Self::Close => "M6 6l12 12M18 6L6 18",
            Self::Plus => "M12 5v14M5 12h14",
            Self::Minus => "M5 12h14",
            Self::Check => "M5 13l4 4L19 7",
            Self::Heart => "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z",
            Self::Bag => "M6 8h12l-1 12H7L6 8zM9 8V6a3 3 0 0 1 6 0v2",
            Self::Search => "M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM16 16l4 4",
            Self::Info => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 11v6M12 7.5v.5",
        }
    }
}
