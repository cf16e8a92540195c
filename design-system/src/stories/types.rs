//! The shapes of the story catalogue: components, controls, stories and the live control values
//! a story renders from. Never knows about routing or the gallery's layout.

use std::collections::HashMap;

use leptos::prelude::*;

/// One component's page in the gallery.
pub struct ComponentStories {
    /// Display name, for example "Button".
    pub name: &'static str,
    /// URL slug, for example "button".
    pub slug: &'static str,
    /// One sentence on what the component is for.
    pub description: &'static str,
    /// The live controls every story of this component reads.
    pub controls: &'static [Control],
    /// The stories, one per variant or state; the first is the default.
    pub stories: &'static [Story],
}

impl ComponentStories {
    /// A component page with no controls and no stories yet.
    pub const fn new(name: &'static str, slug: &'static str) -> Self {
        Self {
            name,
            slug,
            description: "",
            controls: &[],
            stories: &[],
        }
    }

    /// Says what the component is for.
    pub const fn about(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// The live controls its stories read.
    pub const fn controls(mut self, controls: &'static [Control]) -> Self {
        self.controls = controls;
        self
    }

    /// Its stories; the first is the default.
    pub const fn stories(mut self, stories: &'static [Story]) -> Self {
        self.stories = stories;
        self
    }
}

/// One live control for a prop.
pub struct Control {
    /// The key stories read the value by.
    pub key: &'static str,
    /// The visible label of the control.
    pub label: &'static str,
    /// What kind of input edits it.
    pub kind: ControlKind,
    /// The initial value, as text (`"true"`, `"12.5"`, a choice's name).
    pub default: &'static str,
}

impl Control {
    /// A free-text control starting at `default`.
    pub const fn text(key: &'static str, label: &'static str, default: &'static str) -> Self {
        Self {
            key,
            label,
            kind: ControlKind::Text,
            default,
        }
    }

    /// A checkbox control.
    pub const fn boolean(key: &'static str, label: &'static str, default: bool) -> Self {
        Self {
            key,
            label,
            kind: ControlKind::Boolean,
            default: if default { "true" } else { "false" },
        }
    }

    /// One of `choices` (an enum prop's names), starting at `default`.
    pub const fn choice(
        key: &'static str,
        label: &'static str,
        choices: &'static [&'static str],
        default: &'static str,
    ) -> Self {
        Self {
            key,
            label,
            kind: ControlKind::Choice(choices),
            default,
        }
    }

    /// A number input over `(min, max, step)`, starting at `default`.
    pub const fn number(
        key: &'static str,
        label: &'static str,
        (min, max, step): (f64, f64, f64),
        default: &'static str,
    ) -> Self {
        Self {
            key,
            label,
            kind: ControlKind::Number { min, max, step },
            default,
        }
    }
}

/// How a control is edited.
pub enum ControlKind {
    /// Free text.
    Text,
    /// A checkbox; the value is `"true"` or `"false"`.
    Boolean,
    /// A number input.
    Number {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Step.
        step: f64,
    },
    /// One of a fixed list of names (an enum prop).
    Choice(&'static [&'static str]),
}

/// One story: a variant or state of the component.
pub struct Story {
    /// Display name, for example "Loading".
    pub name: &'static str,
    /// URL slug, for example "loading" (deep link `/gallery/button/loading`).
    pub slug: &'static str,
    /// What this story shows.
    pub description: &'static str,
    /// Control values this story starts from, overriding the defaults.
    pub presets: &'static [(&'static str, &'static str)],
    /// Renders the story from the live control values.
    pub render: fn(StoryControls) -> AnyView,
    /// The code a micro app writes to get this story.
    pub snippet: &'static str,
}

impl Story {
    /// A story drawn by `render` from the component's control defaults.
    pub const fn new(
        name: &'static str,
        slug: &'static str,
        render: fn(StoryControls) -> AnyView,
    ) -> Self {
        Self {
            name,
            slug,
            description: "",
            presets: &[],
            render,
            snippet: "",
        }
    }

    /// Says what the story shows.
    pub const fn about(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// Starts some controls at other values than their defaults.
    pub const fn presets(mut self, presets: &'static [(&'static str, &'static str)]) -> Self {
        self.presets = presets;
        self
    }

    /// The code a micro app writes to get what the story shows.
    pub const fn snippet(mut self, snippet: &'static str) -> Self {
        self.snippet = snippet;
        self
    }
}

/// The live control values of the story on screen, one signal per control key.
#[derive(Clone, Copy)]
pub struct StoryControls {
    values: StoredValue<HashMap<&'static str, RwSignal<String>>>,
}

impl StoryControls {
    /// Starts every control at its default, then applies the story's presets.
    pub fn new(controls: &'static [Control], story: &Story) -> Self {
        let mut values: HashMap<&'static str, RwSignal<String>> = controls
            .iter()
            .map(|control| (control.key, RwSignal::new(control.default.to_owned())))
            .collect();
        for (key, value) in story.presets {
            values
                .entry(key)
                .or_insert_with(|| RwSignal::new(String::new()))
                .set((*value).to_owned());
        }
        Self {
            values: StoredValue::new(values),
        }
    }

    /// The signal behind a control, for the gallery's inputs; an unknown key gets a fresh one.
    pub fn signal(&self, key: &'static str) -> RwSignal<String> {
        if let Some(signal) = self.values.with_value(|values| values.get(key).copied()) {
            return signal;
        }
        let signal = RwSignal::new(String::new());
        self.values.update_value(|values| {
            values.insert(key, signal);
        });
        signal
    }

    /// A text control.
    pub fn text(&self, key: &'static str) -> Signal<String> {
        let signal = self.signal(key);
        Signal::derive(move || signal.get())
    }

    /// A boolean control.
    pub fn flag(&self, key: &'static str) -> Signal<bool> {
        let signal = self.signal(key);
        Signal::derive(move || signal.with(|value| value == "true"))
    }

    /// A number control (0 when the text does not parse).
    pub fn number(&self, key: &'static str) -> Signal<f64> {
        let signal = self.signal(key);
        Signal::derive(move || signal.with(|value| value.trim().parse().unwrap_or(0.0)))
    }

    /// A choice control mapped onto an enum by its `as_str()` name.
    pub fn choice<T: Copy + Default + Send + Sync + 'static>(
        &self,
        key: &'static str,
        all: &'static [T],
        name_of: fn(&T) -> &'static str,
    ) -> Signal<T> {
        let signal = self.signal(key);
        Signal::derive(move || {
            signal.with(|value| {
                all.iter()
                    .copied()
                    .find(|candidate| name_of(candidate) == value)
                    .unwrap_or_default()
            })
        })
    }
}
