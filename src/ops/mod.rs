//! One file per operation: its input (validated, and declared to TypeScript), the request it
//! makes, and the model of what it returns. Pure: nothing here touches JS.

pub mod adjust_points;
pub mod list;
pub mod points_adjustment_history;
pub mod points_details;
pub mod points_expirations;
pub mod search_user_references;
pub mod text_limits;
pub mod transfer_points;
pub mod user_query;

#[cfg(test)]
pub(crate) mod testing {
    //! An input object for native tests, read as the client reads a caller's.
    use crate::validate::Raw;

    /// Reads `fields` into `T` as `input::read` does for a JS object.
    pub fn read<T: crate::input::Input>(
        fields: Vec<(&'static str, Raw)>,
    ) -> crate::error::Result<T> {
        crate::input::read(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    pub fn s(v: &str) -> Raw {
        Raw::Str(v.to_owned())
    }
}
