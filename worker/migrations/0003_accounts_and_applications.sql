CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`label` text NOT NULL,
	`venue_id` text,
	`created_by` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`disabled_at` integer,
	CONSTRAINT "accounts_staff_venue" CHECK(("accounts"."role" = 'staff') = ("accounts"."venue_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX `accounts_venue` ON `accounts` (`venue_id`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`public_key` text NOT NULL,
	`key_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`last_used_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_public_key` ON `devices` (`public_key`);--> statement-breakpoint
CREATE INDEX `devices_key_id` ON `devices` (`key_id`);--> statement-breakpoint
CREATE INDEX `devices_account` ON `devices` (`account_id`);--> statement-breakpoint
CREATE TABLE `enrolment_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `request_nonces` (
	`device_id` text NOT NULL,
	`nonce` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `nonce`)
);
--> statement-breakpoint
CREATE INDEX `request_nonces_seen` ON `request_nonces` (`seen_at`);--> statement-breakpoint
CREATE TABLE `staff_entrances` (
	`account_id` text NOT NULL,
	`entrance_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `entrance_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entrance_id`) REFERENCES `entrances`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `venue_documents` (
	`venue_id` text NOT NULL,
	`kind` text NOT NULL,
	`media_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`object_key` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`uploaded_by` text NOT NULL,
	PRIMARY KEY(`venue_id`, `kind`),
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `venue_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`venue_id` text NOT NULL,
	`action` text NOT NULL,
	`actor_id` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `venue_events_venue` ON `venue_events` (`venue_id`,`id`);--> statement-breakpoint
ALTER TABLE `reports` ADD `handled_by` text;--> statement-breakpoint
ALTER TABLE `reports` ADD `handled_at` integer;--> statement-breakpoint
ALTER TABLE `venues` ADD `operator_id` text REFERENCES accounts(id);--> statement-breakpoint
ALTER TABLE `venues` ADD `address` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `venues` ADD `contact_sealed` text;--> statement-breakpoint
ALTER TABLE `venues` ADD `ask_id_number` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `venues` ADD `feedback` text;--> statement-breakpoint
CREATE INDEX `venues_operator` ON `venues` (`operator_id`);