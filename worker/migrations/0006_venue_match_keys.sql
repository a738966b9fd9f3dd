-- One registration per venue: an application's business licence number, sealed at rest like its
-- contact (the operator edits it, the registry checks it against the licence document), and keyed
-- hashes of the licence number and of the normalised address, kept only to find other
-- applications for the same venue (venues/match-keys.ts). Rows from before have none of them.
ALTER TABLE `venues` ADD `licence_sealed` text;
ALTER TABLE `venues` ADD `licence_key` text;
ALTER TABLE `venues` ADD `address_key` text;
CREATE INDEX `venues_licence_key` ON `venues` (`licence_key`);
CREATE INDEX `venues_address_key` ON `venues` (`address_key`);
-- At most one approved or suspended venue per licence number, whatever runs at once: a second
-- approval fails inside its own transaction and writes nothing.
CREATE UNIQUE INDEX `venues_one_registration` ON `venues` (`licence_key`)
  WHERE `status` IN ('approved', 'suspended') AND `licence_key` IS NOT NULL;
