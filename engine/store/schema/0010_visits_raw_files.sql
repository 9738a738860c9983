-- Sunshine store, migration 10: raw visit-log blocks in files (docs/formats/visit-statistics.md).
-- A block whose LZ4 frame is 64 KiB or more is written once, into <home>/visits-raw/<file>
-- at `file_offset` (`file_size` bytes; its `bytes` are then empty), instead of through the
-- WAL and again into the database at the checkpoint. A file holds the frames of one day
-- from one import batch. On the 1,000,000-line benchmark log this took the import from
-- about 0.75 to 0.66 CPU-s (bench/visits/README.md). Smaller blocks, and rows from before,
-- keep their bytes here (file NULL). The purge deletes the rows, then overwrites, syncs and
-- unlinks their files; files no row names (an import killed before its commit) are
-- destroyed by the next purge (engine/visits/visit_raw_files.h).
ALTER TABLE visit_raw_blocks ADD COLUMN file TEXT;
ALTER TABLE visit_raw_blocks ADD COLUMN file_offset INTEGER;
ALTER TABLE visit_raw_blocks ADD COLUMN file_size INTEGER;
