CREATE TABLE `query_drafts` (
	`id` text PRIMARY KEY NOT NULL,
	`entry` blob NOT NULL,
	`filed_by_account` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`status` text NOT NULL,
	`approved_by_account` text,
	`approved_at` integer,
	`query_index` text,
	FOREIGN KEY (`filed_by_account`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by_account`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `query_drafts_status` ON `query_drafts` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `trustee_log_state` (
	`origin` text PRIMARY KEY NOT NULL,
	`size` text NOT NULL,
	`state` text NOT NULL,
	`halted` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `trustee_nonces` (
	`key_id` text NOT NULL,
	`nonce` text NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`key_id`, `nonce`)
);
--> statement-breakpoint
CREATE TABLE `trustee_releases` (
	`query_index` text PRIMARY KEY NOT NULL,
	`release_index` text NOT NULL,
	`released_at` integer NOT NULL
);
