//! The variant enums of `Button`. Never holds behaviour.

/// The visual weight of a button.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonVariant {
    /// The main action of a view.
    #[default]
    Primary,
    /// A secondary action, outlined.
    Secondary,
    /// A low-emphasis action, text only.
    Subtle,
    /// A destructive action.
    Danger,
}

impl ButtonVariant {
    /// Every variant, for stories and pickers.
    pub const ALL: [ButtonVariant; 4] =
        [Self::Primary, Self::Secondary, Self::Subtle, Self::Danger];

    /// The modifier name (`ts-button--primary`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Secondary => "secondary",
            Self::Subtle => "subtle",
            Self::Danger => "danger",
        }
    }
}

/// The height and padding of a button.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonSize {
    /// Compact, for dense tables.
    Small,
    /// The default; meets the 44 px touch target.
    #[default]
    Medium,
    /// Prominent calls to action.
    Large,
}

impl ButtonSize {
    /// Every size, for stories and pickers.
    pub const ALL: [ButtonSize; 3] = [Self::Small, Self::Medium, Self::Large];

    /// The modifier name (`ts-button--small`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }
}

/// The HTML `type` of a button.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ButtonType {
    /// Does nothing by itself; the default so a button never submits a form by accident.
    #[default]
    Button,
    /// Submits the surrounding form.
    Submit,
    /// Resets the surrounding form.
    Reset,
}

impl ButtonType {
    /// The attribute value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Button => "button",
            Self::Submit => "submit",
            Self::Reset => "reset",
        }
    }
}
