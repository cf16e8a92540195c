//! The input types of `TextField`. Never holds behaviour.

/// The HTML input type, which also picks the mobile keyboard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextFieldType {
    /// Plain text.
    #[default]
    Text,
    /// An e-mail address.
    Email,
    /// A telephone number.
    Tel,
    /// A password.
    Password,
    /// A search query.
    Search,
    /// A URL.
    Url,
}

impl TextFieldType {
    /// Every type, for stories and pickers.
    pub const ALL: [TextFieldType; 6] = [
        Self::Text,
        Self::Email,
        Self::Tel,
        Self::Password,
        Self::Search,
        Self::Url,
    ];

    /// The attribute value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Email => "email",
            Self::Tel => "tel",
            Self::Password => "password",
            Self::Search => "search",
            Self::Url => "url",
        }
    }
}
