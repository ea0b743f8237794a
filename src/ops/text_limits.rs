//! The client's limits on the free-text fields of writes and of the lookup. PAS publishes none:
//! the defaults are our reading (README, "our reading"), and `PointsClient.create({ limits })`
//! changes them, up to [`CEILING`], so a program whose real limits differ is not blocked.
//!
//! An array indexed by [`Kind`] rather than a struct: one loop reads the options and one checks
//! the fields, which keeps the wasm small (README, "Size").

use crate::error::Result;
use crate::validate::at_most;

/// The most any limit may be set to, and the most any of these fields may hold whatever the
/// limits say (what is parsed before the limits apply).
pub const CEILING: usize = 4096;

/// The kinds of limited text, as indexes into [`TextLimits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `adjustmentTypeCode`, `transferTypeCode`.
    TypeCode,
    /// `adjustmentReason`, `transferReason`.
    Reason,
    /// `adjustedBy`.
    AdjustedBy,
    /// The lookup's `programIdentifier`.
    ProgramIdentifier,
}

/// The option names under `limits`, by [`Kind`].
pub const NAMES: [&str; 4] = ["typeCode", "reason", "adjustedBy", "programIdentifier"];

/// Longest text per [`Kind`], in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimits(pub [u32; 4]);

impl Default for TextLimits {
    /// 20 for type codes, 255 for reasons, 50 for `adjustedBy` and `programIdentifier`.
    fn default() -> Self {
        TextLimits([20, 255, 50, 50])
    }
}

impl TextLimits {
    /// Each field under its kind's limit; the error names the first that is not.
    pub fn check(&self, fields: &[(&'static str, &str, Kind)]) -> Result<()> {
        for &(field, text, kind) in fields {
            at_most(field, text, self.0[kind as usize] as usize)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_applies_to_its_field_and_names_it() {
        let d = TextLimits::default();
        let write = |l: &TextLimits, c: &str, r: &str, b: &str| {
            l.check(&[
                ("c", c, Kind::TypeCode),
                ("r", r, Kind::Reason),
                ("b", b, Kind::AdjustedBy),
            ])
            .map_err(|e| e.field().map(str::to_owned))
        };
        assert_eq!(write(&d, "CR", "x", "agent"), Ok(()));
        // Characters, not bytes: 255 two-byte characters are within the reason's limit.
        assert_eq!(write(&d, "CR", &"é".repeat(255), "a"), Ok(()));
        let long = "é".repeat(256);
        assert_eq!(write(&d, "CR", &long, "a"), Err(Some("r".into())));
        assert_eq!(write(&d, &"c".repeat(21), "x", "a"), Err(Some("c".into())));
        assert_eq!(write(&d, "CR", "x", &"b".repeat(51)), Err(Some("b".into())));
        let wide = TextLimits([20, 1000, 50, 50]);
        assert_eq!(write(&wide, "CR", &long, "a"), Ok(()));
        let narrow = TextLimits([1, 255, 50, 50]);
        assert_eq!(write(&narrow, "CR", "x", "a"), Err(Some("c".into())));
        let program = |l: &TextLimits, p: &str| l.check(&[("p", p, Kind::ProgramIdentifier)]);
        assert!(program(&d, &"p".repeat(50)).is_ok());
        assert!(program(&d, &"p".repeat(51)).is_err());
    }
}
