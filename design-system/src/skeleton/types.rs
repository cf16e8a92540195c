//! The shapes of `Skeleton`. Never holds behaviour.

/// What a skeleton stands in for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SkeletonShape {
    /// A line of text.
    #[default]
    Text,
    /// A block such as an image.
    Rect,
    /// An avatar or swatch.
    Circle,
}

impl SkeletonShape {
    /// Every shape, for stories and pickers.
    pub const ALL: [SkeletonShape; 3] = [Self::Text, Self::Rect, Self::Circle];

    /// The modifier name (`ts-skeleton--circle`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Rect => "rect",
            Self::Circle => "circle",
        }
    }
}
