//! The tone enum shared by `Badge`, `Tag` and `Alert`. Never holds behaviour.

/// The meaning a status colour carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    /// No particular meaning.
    #[default]
    Neutral,
    /// Information.
    Info,
    /// Something went well.
    Success,
    /// Needs attention.
    Warning,
    /// Something failed.
    Danger,
}

impl Tone {
    /// Every tone, for stories and pickers.
    pub const ALL: [Tone; 5] = [
        Self::Neutral,
        Self::Info,
        Self::Success,
        Self::Warning,
        Self::Danger,
    ];

    /// The modifier name (`ts-badge--success`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Neutral => "neutral",
            Self::Info => "info",
            Self::Success => "success",
            Self::Warning => "warning",
            Self::Danger => "danger",
        }
    }
}
