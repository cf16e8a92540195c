//! The gallery frame: skip link, header with the theme switcher and viewport presets, the
//! navigation of every story (each link carries `data-story="<component>/<story>"`, the
//! machine-readable list an e2e run walks), and the `<main>` landmark.
//! Never knows a particular component.

use design_system::{Select, SelectOption, ThemeName, ThemeProvider, all_components};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::state::{
    VIEWPORT_PRESETS, use_carried_query, use_set_query, use_theme, use_viewport_width,
};

/// The frame around every page.
#[component]
pub fn GalleryLayout(
    /// The routed page.
    children: Children,
) -> impl IntoView {
    let theme = use_theme();
    // Keep <html> in the theme's colour scheme so the page behind the themed wrapper matches.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme.get().as_str());
        }
    });
    view! {
        <ThemeProvider theme class="gallery">
            <a class="gallery__skip" href="#gallery-main">"Skip to content"</a>
            <header class="gallery__header">
                <a class="gallery__brand" href="/gallery/">"Tessera design system"</a>
                <GalleryToolbar/>
            </header>
            <div class="gallery__layout">
                <StoryNavigation/>
                <main id="gallery-main" class="gallery__main" tabindex="-1">{children()}</main>
            </div>
        </ThemeProvider>
    }
}

/// Theme switcher and viewport presets, both written to the query string.
#[component]
fn GalleryToolbar() -> impl IntoView {
    let theme = use_theme();
    let viewport_width = use_viewport_width();
    let set_query = use_set_query();
    let theme_value = RwSignal::new(theme.get_untracked().as_str().to_owned());
    let viewport_value = RwSignal::new(viewport_width.get_untracked().to_string());
    // URL → controls (back button, deep links).
    Effect::new(move |_| theme_value.set(theme.get().as_str().to_owned()));
    Effect::new(move |_| viewport_value.set(viewport_width.get().to_string()));
    // Controls → URL.
    {
        let set_query = set_query.clone();
        Effect::new(move |_| {
            let chosen_theme = theme_value.with(|value| {
                ThemeName::ALL
                    .into_iter()
                    .find(|theme| theme.as_str() == value)
                    .unwrap_or_default()
            });
            let chosen_width: u32 = viewport_value.with(|value| value.parse().unwrap_or(0));
            if chosen_theme != theme.get_untracked()
                || chosen_width != viewport_width.get_untracked()
            {
                set_query(chosen_theme, chosen_width);
            }
        });
    }
    let theme_options: Vec<SelectOption> = ThemeName::ALL
        .into_iter()
        .map(|theme| {
            let label = match theme {
                ThemeName::Light => "Light",
                ThemeName::Dark => "Dark",
                ThemeName::BrandB => "Brand B",
            };
            SelectOption::new(theme.as_str(), label)
        })
        .collect();
    let viewport_options: Vec<SelectOption> = VIEWPORT_PRESETS
        .into_iter()
        .map(|(label, width)| SelectOption::new(width.to_string(), label))
        .collect();
    view! {
        <div class="gallery__toolbar">
            <Select label="Theme" name="gallery-theme" options=theme_options value=theme_value/>
            <Select label="Viewport" name="gallery-viewport" options=viewport_options value=viewport_value/>
        </div>
    }
}

/// Every component and story as links; the current one marked `aria-current="page"`.
#[component]
pub fn StoryNavigation() -> impl IntoView {
    let location = use_location();
    let carried_query = use_carried_query();
    let is_current = move |path: &str| {
        location
            .pathname
            .with(|current| current.trim_end_matches('/') == path)
    };
    view! {
        <nav class="gallery__nav" aria-label="Components and stories">
            <ul class="gallery__nav-list">
                {all_components()
                    .into_iter()
                    .map(|component| {
                        let component_path = format!("/gallery/{}", component.slug);
                        let component_href = component_path.clone();
                        let component_current = component_path.clone();
                        view! {
                            <li>
                                <a
                                    class="gallery__nav-component"
                                    href=move || format!("{component_href}{}", carried_query.get())
                                    data-component=component.slug
                                    aria-current=move || is_current(&component_current).then_some("page")
                                >
                                    {component.name}
                                </a>
                                <ul>
                                    {component
                                        .stories
                                        .iter()
                                        .map(|story| {
                                            let story_path = format!("{component_path}/{}", story.slug);
                                            let story_href = story_path.clone();
                                            view! {
                                                <li>
                                                    <a
                                                        class="gallery__nav-story"
                                                        href=move || format!("{story_href}{}", carried_query.get())
                                                        data-story=format!("{}/{}", component.slug, story.slug)
                                                        aria-current=move || is_current(&story_path).then_some("page")
                                                    >
                                                        {story.name}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
