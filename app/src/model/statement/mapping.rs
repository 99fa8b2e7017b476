//! How a bank's statement file is laid out: which column holds what, the file's encoding and the
//! era of its years. Chosen once per bank account by a finance officer (or the K-BIZ preset) and
//! checked here, so the reader and the form agree on what a valid choice is.

use serde::{Deserialize, Serialize};

/// The highest column index a mapping may name.
const MAX_COLUMN: usize = 255;

/// The text encoding of a file: chosen by the officer, or detected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// A UTF-8 byte-order mark or valid UTF-8 means UTF-8; otherwise TIS-620 if it decodes.
    #[default]
    Auto,
    Utf8,
    /// TIS-620 as Windows code page 874 writes it (what Thai Excel saves as plain "CSV").
    Tis620,
}

/// How a 2-digit year is read. Four-digit years are BE when at least 2400, else CE.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Era {
    /// Of the BE and CE readings, the one nearest today and at most 366 days after it.
    #[default]
    Auto,
    Buddhist,
    Christian,
}

/// Which layout a mapping describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// KBank K-BIZ: columns are found from the header row's texts; the indexes are ignored.
    #[default]
    Kbiz,
    /// The officer's own choice of 0-based column indexes.
    Custom,
}

/// Where each field is in a bank's file. Column indexes count from 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    pub preset: Preset,
    /// `None` only in a custom mapping not yet filled in (which does not validate).
    pub date: Option<usize>,
    pub time: Option<usize>,
    pub description: Option<usize>,
    pub withdrawal: Option<usize>,
    pub deposit: Option<usize>,
    /// One signed column (positive = deposit) instead of withdrawal and deposit columns.
    pub amount: Option<usize>,
    pub balance: Option<usize>,
    pub channel: Option<usize>,
    pub details: Option<usize>,
    /// The header's line number, counting from 1; `None` finds it.
    pub header_row: Option<usize>,
    pub era: Era,
    pub encoding: Encoding,
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping::kbiz()
    }
}

/// Why a mapping cannot be used: the field at fault and a message in Thai and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub th: String,
    pub en: String,
}

/// The mapping's column fields with what an officer calls them, in Thai and English.
pub const COLUMN_LABELS: [(&str, &str, &str); 9] = [
    ("date", "วันที่", "Date"),
    ("time", "เวลา", "Time"),
    ("description", "รายการ", "Description"),
    ("withdrawal", "ถอนเงิน", "Withdrawal"),
    ("deposit", "ฝากเงิน", "Deposit"),
    ("amount", "จำนวนเงิน (มีเครื่องหมาย)", "Signed amount"),
    ("balance", "ยอดคงเหลือ", "Balance"),
    ("channel", "ช่องทาง", "Channel"),
    ("details", "รายละเอียด", "Details"),
];

/// A column field's Thai and English names; the field itself if it is not one.
pub fn column_label(field: &str) -> (&str, &str) {
    COLUMN_LABELS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map_or((field, field), |(_, th, en)| (*th, *en))
}

impl Mapping {
    /// The K-BIZ preset. The indexes are the classic K-BIZ layout, a starting point should the
    /// officer switch to a custom mapping; parsing finds the real ones from the header.
    pub fn kbiz() -> Mapping {
        Mapping {
            preset: Preset::Kbiz,
            date: Some(1),
            time: Some(2),
            description: Some(3),
            withdrawal: Some(4),
            deposit: Some(6),
            amount: None,
            balance: Some(8),
            channel: Some(10),
            details: Some(12),
            header_row: None,
            era: Era::Auto,
            encoding: Encoding::Auto,
        }
    }

    /// A custom mapping with no column chosen yet: what an officer starts from for a bank whose
    /// layout Phapa does not know (the K-BIZ indexes would only be wrong guesses).
    pub fn blank() -> Mapping {
        Mapping {
            preset: Preset::Custom,
            date: None,
            time: None,
            description: None,
            withdrawal: None,
            deposit: None,
            amount: None,
            balance: None,
            channel: None,
            details: None,
            header_row: None,
            era: Era::Auto,
            encoding: Encoding::Auto,
        }
    }

    /// Each field with the column it is read from.
    pub fn columns(&self) -> [(&'static str, Option<usize>); 9] {
        [
            ("date", self.date),
            ("time", self.time),
            ("description", self.description),
            ("withdrawal", self.withdrawal),
            ("deposit", self.deposit),
            ("amount", self.amount),
            ("balance", self.balance),
            ("channel", self.channel),
            ("details", self.details),
        ]
    }

    /// Checks a custom mapping: withdrawal and deposit columns, or one amount column; no column
    /// used twice; a header row counted from 1.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut push = |field: &str, th: String, en: String| {
            errors.push(FieldError {
                field: field.into(),
                th,
                en,
            });
        };
        if self.header_row == Some(0) {
            push(
                "header_row",
                "แถวหัวตารางนับจาก 1".into(),
                "The header row counts from 1.".into(),
            );
        }
        if self.preset == Preset::Custom {
            if self.date.is_none() {
                push(
                    "date",
                    "กรุณาเลือกคอลัมน์วันที่".into(),
                    "Choose the date column.".into(),
                );
            }
            match (self.amount, self.withdrawal, self.deposit) {
                (Some(_), None, None) | (None, Some(_), Some(_)) => {}
                (Some(_), _, _) => push(
                    "amount",
                    "เลือกคอลัมน์จำนวนเงินคอลัมน์เดียว หรือคอลัมน์ถอนและฝาก อย่างใดอย่างหนึ่ง".into(),
                    "Choose one signed amount column or withdrawal and deposit columns, not both."
                        .into(),
                ),
                (None, None, None) => push(
                    "amount",
                    "กรุณาเลือกคอลัมน์ถอนและฝาก หรือคอลัมน์จำนวนเงิน".into(),
                    "Choose the withdrawal and deposit columns, or one amount column.".into(),
                ),
                (None, None, Some(_)) => push(
                    "withdrawal",
                    "กรุณาเลือกคอลัมน์ถอนเงินด้วย".into(),
                    "Choose the withdrawal column too.".into(),
                ),
                (None, Some(_), None) => push(
                    "deposit",
                    "กรุณาเลือกคอลัมน์ฝากเงินด้วย".into(),
                    "Choose the deposit column too.".into(),
                ),
            }
            let mut used: Vec<(usize, &str)> = Vec::new();
            for (field, index) in self.columns() {
                let Some(index) = index else { continue };
                if index > MAX_COLUMN {
                    push(
                        field,
                        "เลขคอลัมน์มากเกินไป".into(),
                        "The column number is too large.".into(),
                    );
                } else if let Some((_, other)) = used.iter().find(|(i, _)| *i == index) {
                    let (th, en) = column_label(other);
                    push(
                        field,
                        format!("คอลัมน์ที่ {} ถูกเลือกให้ \"{th}\" แล้ว", index + 1),
                        format!("Column {} is already chosen for {en}.", index + 1),
                    );
                } else {
                    used.push((index, field));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
