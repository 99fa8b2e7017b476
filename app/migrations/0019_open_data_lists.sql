-- Open data lists: a campaign's units paged in id order (`/api/v1/units?campaign=`), so each
-- page reads its rows from the index in order instead of sorting all of the campaign's units.
create index equipment_unit_campaign_id on equipment_unit (campaign_id, equipment_unit_id);
