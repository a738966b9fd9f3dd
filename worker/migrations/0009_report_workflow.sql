-- Working through reports from the public: an identical report (same venue, door and kind) that
-- arrives while one is not closed is merged into it; the registry keeps a note; the venue's
-- operator answers once; the reporter follows the status with a reference of which only the
-- SHA-256 hash is kept.
ALTER TABLE `reports` ADD `merged_into` text REFERENCES `reports`(`id`);
ALTER TABLE `reports` ADD `note` text;
ALTER TABLE `reports` ADD `operator_answer` text;
ALTER TABLE `reports` ADD `operator_answered_at` integer;
ALTER TABLE `reports` ADD `reference_hash` text;
CREATE UNIQUE INDEX `reports_reference` ON `reports` (`reference_hash`) WHERE `reference_hash` IS NOT NULL;
CREATE INDEX `reports_merged_into` ON `reports` (`merged_into`);
