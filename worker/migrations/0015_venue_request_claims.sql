-- An officer's approval of a venue request is claimed before its entry goes to the log and
-- settled with the log index after. What the claim was about to append (claim_entry, base64url)
-- and the log's size then (claim_log_size, decimal) let a later reader finish a claim whose
-- worker stopped in between: the entry is in the log from that size on, or it never got there.
ALTER TABLE `venue_requests` ADD `claim_entry` text;
ALTER TABLE `venue_requests` ADD `claim_log_size` text;
