//! The option shape shared by `OptionPicker` and `Swatches`. Never holds behaviour.

/// One choosable value, such as a size or a colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PickerOption {
    /// The submitted value.
    pub value: String,
    /// The visible (or, for swatches, spoken) label.
    pub label: String,
    /// False when the value is sold out or not offered with the other choices; it is then
    /// disabled and announced as unavailable.
    pub available: bool,
    /// A CSS colour for `Swatches` (product data, not a design token).
    pub swatch: Option<String>,
}

impl PickerOption {
    /// An available option whose value and label are the same.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            label: value.clone(),
            value,
            available: true,
            swatch: None,
        }
    }

    /// The same option, marked unavailable.
    pub fn unavailable(mut self) -> Self {
        self.available = false;
        self
    }

    /// The same option with a visible label different from its value.
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// The same option with a swatch colour.
    pub fn with_swatch(mut self, colour: impl Into<String>) -> Self {
        self.swatch = Some(colour.into());
        self
    }
}
