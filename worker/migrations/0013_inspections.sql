-- Inspections (抽查): the registry's record of visiting a venue — the day, the result, the findings —
-- with up to four photos, each sealed at rest in R2 like application documents. And the time a
-- report was closed, for the compliance view's handling times.
CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`inspected_on` text NOT NULL,
	`result` text NOT NULL,
	`findings` text NOT NULL,
	`recorded_by` text NOT NULL,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
CREATE INDEX `inspections_venue` ON `inspections` (`venue_id`, `inspected_on`);
CREATE TABLE `inspection_photos` (
	`inspection_id` text NOT NULL,
	`n` integer NOT NULL,
	`object_key` text NOT NULL,
	`media_type` text NOT NULL,
	`size` integer NOT NULL,
	PRIMARY KEY (`inspection_id`, `n`),
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action
);
ALTER TABLE `reports` ADD `closed_at` integer;
