CREATE TABLE `witnessed_logs` (
	`origin` text PRIMARY KEY NOT NULL,
	`size` text NOT NULL,
	`root_hash` blob NOT NULL,
	`updated_at` integer NOT NULL
);
