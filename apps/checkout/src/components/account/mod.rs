//! The account page's pieces: signing in or up, the address book, consent choices, the order
//! and mail history, and the customer's data (export, erasure, signing out). Each loads and
//! saves its own part through `api`, so one failing part never blanks the others.

mod address_book;
mod consents;
mod history;
mod my_data;
mod sign_in;

pub use address_book::AddressBook;
pub use consents::ConsentChoices;
pub use history::{MailHistory, OrderHistory};
pub use my_data::MyData;
pub use sign_in::{SignInForm, SignUpForm};
