CREATE TABLE `entrances` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`label_en` text NOT NULL,
	`label_zh` text NOT NULL,
	`code_version` integer DEFAULT 1 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "entrances_version" CHECK("entrances"."code_version" >= 1)
);
--> statement-breakpoint
CREATE INDEX `entrances_venue` ON `entrances` (`venue_id`);--> statement-breakpoint
CREATE TABLE `principals` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`label` text NOT NULL,
	`public_key` text NOT NULL,
	`proof_of_possession` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`revoked_at` integer,
	CONSTRAINT "principals_pop_only_for_trustees" CHECK(("principals"."role" = 'trustee') = ("principals"."proof_of_possession" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `principals_public_key` ON `principals` (`public_key`);--> statement-breakpoint
CREATE INDEX `principals_role` ON `principals` (`role`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`entrance_id` text,
	`kind` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`reported_hour` integer NOT NULL,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entrance_id`) REFERENCES `entrances`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reports_venue` ON `reports` (`venue_id`);--> statement-breakpoint
CREATE INDEX `reports_status` ON `reports` (`status`);--> statement-breakpoint
CREATE TABLE `venues` (
	`id` text PRIMARY KEY NOT NULL,
	`name_en` text NOT NULL,
	`name_zh` text NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `venues_status` ON `venues` (`status`);