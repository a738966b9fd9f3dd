-- Venue requests granting contacts (PROTOCOL.md §11.7): the X25519 key the venue's device made
-- for the request (release_key, base64url; its releases are sealed to it), the approval entry
-- signed so far while it gathers the officers a query needs (approval_entry, base64url), and
-- the sealed releases an officer fetched from the trustees and the log and handed over for the
-- venue: one per holder, kept as the holder answered (the service cannot open them).
ALTER TABLE `venue_requests` ADD `release_key` text;
ALTER TABLE `venue_requests` ADD `approval_entry` text;
CREATE TABLE `venue_request_releases` (
	`request_id` text NOT NULL,
	`holder` text NOT NULL,
	`release` text NOT NULL,
	`stored_at` integer NOT NULL,
	PRIMARY KEY (`request_id`, `holder`),
	FOREIGN KEY (`request_id`) REFERENCES `venue_requests`(`id`) ON UPDATE no action ON DELETE no action
);
