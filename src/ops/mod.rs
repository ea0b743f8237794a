//! One file per operation: its input (validated, and declared to TypeScript), the request it
//! makes, and the model of what it returns. Pure: nothing here touches JS.

pub mod adjust_points;
pub mod points_adjustment_history;
pub mod points_details;
pub mod points_expirations;
pub mod search_user_references;
pub mod transfer_points;
pub mod user_query;

use crate::validate::Raw;

/// Reads one field of the caller's input object.
pub trait Fields {
    /// The field `name`, as JS has it.
    fn raw(&self, name: &'static str) -> Raw;
}

#[cfg(test)]
pub(crate) mod testing {
    //! An input object for native tests.
    use super::Fields;
    use crate::validate::Raw;

    pub struct Obj(pub Vec<(&'static str, Raw)>);

    impl Fields for Obj {
        fn raw(&self, name: &'static str) -> Raw {
            self.0
                .iter()
                .find(|(k, _)| *k == name)
                .map_or(Raw::Missing, |(_, v)| v.clone())
        }
    }

    pub fn s(v: &str) -> Raw {
        Raw::Str(v.to_owned())
    }
}
