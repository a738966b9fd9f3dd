-- Supervision split by district (the local government) and by sector (the trade's regulator).
-- A venue names one of the deployment's districts; NULL (every venue from before districts)
-- counts as the deployment's first district. Its sector follows from its category, so it is not
-- stored. A registry reviewer's scope: JSON arrays of district ids and of sectors, NULL meaning
-- every one; existing reviewers keep the full scope they had.
ALTER TABLE `venues` ADD `district` text;
ALTER TABLE `accounts` ADD `scope_districts` text;
ALTER TABLE `accounts` ADD `scope_sectors` text;
CREATE INDEX `venues_district_status` ON `venues` (`district`, `status`);
