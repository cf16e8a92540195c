//! `FieldErrors`: the server's problem+json field errors (`errors: [{field, code, message}]`) as
//! a reactive map from field path to message, provided as context so TextField, Select,
//! Checkbox and RadioGroup show the message for their `name` inline.
//! Never parses HTTP responses or depends on api-client: callers hand over `(field, message)`.

use std::collections::BTreeMap;

use leptos::prelude::*;

#[cfg(feature = "stories")]
pub(crate) mod story;

/// Field path → message, shared by the form controls under one provider.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    messages: RwSignal<BTreeMap<String, String>>,
}

impl Default for FieldErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FieldErrors {
    /// An empty set of field errors.
    pub fn new() -> Self {
        Self {
            messages: RwSignal::new(BTreeMap::new()),
        }
    }

    /// Replaces every error with these `(field, message)` pairs, as read from a problem+json
    /// `errors` array. Field paths may be dotted (`shipping.postal_code`) or JSON pointers
    /// (`/shipping/postal_code`); both match a control named `shipping.postal_code`.
    pub fn replace_all<F, M>(&self, pairs: impl IntoIterator<Item = (F, M)>)
    where
        F: AsRef<str>,
        M: Into<String>,
    {
        let messages = pairs
            .into_iter()
            .map(|(field, message)| (normalize_field_path(field.as_ref()), message.into()))
            .collect();
        self.messages.set(messages);
    }

    /// Sets the error of one field.
    pub fn set(&self, field: &str, message: impl Into<String>) {
        let message = message.into();
        self.messages.update(|messages| {
            messages.insert(normalize_field_path(field), message);
        });
    }

    /// Removes the error of one field (a control does this when the user edits it).
    pub fn clear_field(&self, field: &str) {
        let field = normalize_field_path(field);
        if self
            .messages
            .with_untracked(|messages| messages.contains_key(&field))
        {
            self.messages.update(|messages| {
                messages.remove(&field);
            });
        }
    }

    /// Removes every error.
    pub fn clear(&self) {
        self.messages.set(BTreeMap::new());
    }

    /// The message for a field, if any (reactive).
    pub fn message(&self, field: &str) -> Option<String> {
        let field = normalize_field_path(field);
        self.messages.with(|messages| messages.get(&field).cloned())
    }

    /// Every `(field, message)` pair, sorted by field (reactive).
    pub fn all(&self) -> Vec<(String, String)> {
        self.messages.with(|messages| {
            messages
                .iter()
                .map(|(field, message)| (field.clone(), message.clone()))
                .collect()
        })
    }

    /// Whether there are no errors (reactive).
    pub fn is_empty(&self) -> bool {
        self.messages.with(BTreeMap::is_empty)
    }
}

/// `/shipping/postal_code` and `shipping.postal_code` name the same field.
fn normalize_field_path(field: &str) -> String {
    field.trim_start_matches('/').replace('/', ".")
}

/// Creates a [`FieldErrors`] and provides it to the form below.
pub fn provide_field_errors() -> FieldErrors {
    let field_errors = FieldErrors::new();
    provide_context(field_errors);
    field_errors
}

/// The [`FieldErrors`] of the surrounding form, if one was provided.
pub fn use_field_errors() -> Option<FieldErrors> {
    use_context::<FieldErrors>()
}
