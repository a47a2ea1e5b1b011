//! Moving to a lab whose code is in another release bundle. The page loader (`static/boot.js`)
//! picks the bundle for the lab in the address bar, so once the route has changed a reload is
//! all it takes. A reload that lands here again for the same lab means `bundles.json` and the
//! bundles disagree; then the page says so instead of reloading forever.

use yew::prelude::*;

/// Where the last reload for a missing lab is remembered (slug and wall-clock ms).
const KEY: &str = "scalelab.bundle-reload";
/// A second miss for the same lab within this many ms is a broken build, not a navigation.
const LOOP_MS: f64 = 10_000.0;

#[derive(Properties, PartialEq)]
pub struct OtherBundleProps {
    pub slug: &'static str,
}

#[component]
pub fn OtherBundle(p: &OtherBundleProps) -> Html {
    let slug = p.slug;
    let broken = use_memo(slug, |slug| {
        let storage = gloo::utils::window().session_storage().ok().flatten();
        let now = js_sys::Date::now();
        let last = storage
            .as_ref()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|v| {
                let (s, t) = v.split_once('|')?;
                Some((s.to_string(), t.parse::<f64>().ok()?))
            });
        let looped = matches!(&last, Some((s, t)) if s == slug && now - t < LOOP_MS);
        if let Some(s) = &storage {
            let _ = if looped {
                s.remove_item(KEY)
            } else {
                s.set_item(KEY, &format!("{slug}|{now}"))
            };
        }
        looped
    });
    {
        let broken = *broken;
        use_effect_with(slug, move |_| {
            if !broken {
                let _ = gloo::utils::window().location().reload();
            }
        });
    }
    if *broken {
        html! {
            <div class="banner error" role="alert" data-testid="bundle-error">
                { format!("The code for the “{slug}” page is not in the bundle the page loaded. The build's bundles.json and its bundles disagree: rebuild with `trunk build --release`.") }
            </div>
        }
    } else {
        html! { <p role="status" data-testid="bundle-loading">{ "Loading this lab…" }</p> }
    }
}
