CREATE TABLE `entrance_codes` (
	`entrance_id` text NOT NULL,
	`version` integer NOT NULL,
	`signed` blob NOT NULL,
	`manual_code` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`replaced_at` integer,
	PRIMARY KEY(`entrance_id`, `version`),
	FOREIGN KEY (`entrance_id`) REFERENCES `entrances`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entrance_codes_manual` ON `entrance_codes` (`manual_code`);