//! One type per kind of id, so a campaign id can never be passed where a hospital id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw database key.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// A campaign (กองผ้าป่า).
    CampaignId
);
id_type!(
    /// A health facility, usually a รพ.สต.
    HospitalId
);
id_type!(
    /// An organising body (ภาคีเครือข่าย).
    PartnerId
);
id_type!(
    /// An item of the equipment catalog.
    EquipmentItemId
);
id_type!(
    /// A donor, named or anonymous.
    DonorId
);
id_type!(
    /// One gift to one campaign.
    DonationId
);
id_type!(
    /// A batch of ceremony-night envelopes typed in together.
    BatchId
);
id_type!(
    /// The organisation that legally receives a campaign's money and issues its receipts.
    LegalRecipientId
);
id_type!(
    /// A hospital's request for equipment (คำขอครุภัณฑ์).
    RequestId
);
id_type!(
    /// A purchase of equipment from one campaign's fund.
    PurchaseId
);
id_type!(
    /// One physical piece of equipment, known to people by its asset tag.
    UnitId
);

id_type!(
    /// A unit lent to a patient's home (the home itself is never recorded).
    LoanId
);
id_type!(
    /// An entry of a hospital's waiting list for a loan.
    WaitingId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_serialises_as_a_bare_number() {
        let id = CampaignId(42);
        assert_eq!(serde_json_like(id), "42");
        assert_eq!("42".parse::<CampaignId>(), Ok(CampaignId(42)));
        assert!("x".parse::<CampaignId>().is_err());
    }

    fn serde_json_like(id: CampaignId) -> String {
        id.to_string()
    }
}
