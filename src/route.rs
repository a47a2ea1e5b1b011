//! The app's routes: a home page and one route per lab, in the URL's hash so the site works as
//! static files from any folder.

use yew_router::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/:slug")]
    Lab { slug: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}
