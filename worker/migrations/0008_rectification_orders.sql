-- Rectification orders (责令限期整改): the registry's findings about an approved or suspended venue
-- and the deadline by which its operator must answer; the operator's answer; the registry closing
-- the order. Whether an order is open, overdue, answered or closed follows from these columns.
CREATE TABLE `rectification_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`venue_id` text NOT NULL,
	`findings` text NOT NULL,
	`deadline` integer NOT NULL,
	`issued_by` text NOT NULL,
	`issued_at` integer NOT NULL,
	`answer` text,
	`answered_by` text,
	`answered_at` integer,
	`closed_by` text,
	`closed_at` integer,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action
);
CREATE INDEX `rectification_orders_venue` ON `rectification_orders` (`venue_id`, `issued_at`);
