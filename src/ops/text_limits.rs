//! The client's limits on the free-text fields of writes and of the lookup. PAS publishes none:
//! the defaults are our reading (docs/client.md, "What is not published"), and `PointsClient.create({ limits })`
//! changes them, up to [`CEILING`], so a program whose real limits differ is not blocked.

use crate::error::{Error, Result};
use crate::validate::at_most;

/// The most any limit may be set to, and the most any of these fields may hold whatever the
/// limits say (what is parsed before the limits apply).
pub const CEILING: usize = 4096;

/// The kinds of limited text.
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

impl Kind {
    /// Every kind, in the order the options list them.
    pub const ALL: [Kind; 4] = [
        Kind::TypeCode,
        Kind::Reason,
        Kind::AdjustedBy,
        Kind::ProgramIdentifier,
    ];

    /// The option's name under `limits`.
    pub fn option_name(self) -> &'static str {
        match self {
            Kind::TypeCode => "typeCode",
            Kind::Reason => "reason",
            Kind::AdjustedBy => "adjustedBy",
            Kind::ProgramIdentifier => "programIdentifier",
        }
    }
}

/// Longest text of each kind, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLimits {
    /// Type codes: 20 by default.
    pub type_code: u32,
    /// Reasons: 255 by default.
    pub reason: u32,
    /// `adjustedBy`: 50 by default.
    pub adjusted_by: u32,
    /// The lookup's `programIdentifier`: 50 by default.
    pub program_identifier: u32,
}

impl Default for TextLimits {
    fn default() -> Self {
        TextLimits {
            type_code: 20,
            reason: 255,
            adjusted_by: 50,
            program_identifier: 50,
        }
    }
}

impl TextLimits {
    /// The limit of `kind`.
    pub fn of(&self, kind: Kind) -> u32 {
        match kind {
            Kind::TypeCode => self.type_code,
            Kind::Reason => self.reason,
            Kind::AdjustedBy => self.adjusted_by,
            Kind::ProgramIdentifier => self.program_identifier,
        }
    }

    /// The limits with `kind`'s set to `limit`.
    pub fn with(mut self, kind: Kind, limit: u32) -> Self {
        *match kind {
            Kind::TypeCode => &mut self.type_code,
            Kind::Reason => &mut self.reason,
            Kind::AdjustedBy => &mut self.adjusted_by,
            Kind::ProgramIdentifier => &mut self.program_identifier,
        } = limit;
        self
    }

    /// Each field under its kind's limit; the error names the first that is not.
    pub fn check(&self, fields: &[(&'static str, &str, Kind)]) -> Result<()> {
        for &(field, text, kind) in fields {
            at_most(text, self.of(kind) as usize).map_err(|why| Error::validation(field, why))?;
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
        let wide = d.with(Kind::Reason, 1000);
        assert_eq!(write(&wide, "CR", &long, "a"), Ok(()));
        let narrow = d.with(Kind::TypeCode, 1);
        assert_eq!(write(&narrow, "CR", "x", "a"), Err(Some("c".into())));
        let program = |l: &TextLimits, p: &str| l.check(&[("p", p, Kind::ProgramIdentifier)]);
        assert!(program(&d, &"p".repeat(50)).is_ok());
        assert!(program(&d, &"p".repeat(51)).is_err());
    }
}
