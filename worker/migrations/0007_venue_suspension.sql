-- Why the registry suspended a venue (a SUSPENSION_REASONS value, PROTOCOL.md §10.3), while its
-- status is 'suspended'; NULL otherwise.
ALTER TABLE `venues` ADD `suspension_reason` text;
