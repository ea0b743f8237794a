pub mod der;
