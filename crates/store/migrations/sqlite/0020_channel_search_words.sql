-- Channel search by word beginnings (store::channels::words): an FTS5 index of each
-- channel's name, display name and purpose, whose rows are the channels' own rows (external
-- content, joined by rowid, so a search reads no copy of the text). Triggers keep it in step
-- with `channels`, whoever writes them. unicode61 (ASCII punctuation separates words, case
-- folded, accents kept, no stemming) cuts words as PostgreSQL's utmost_search_words does;
-- prefixes of 2 and 3 characters have index entries of their own, as most searches type
-- that few. `INSERT INTO channelsearchwords (channelsearchwords) VALUES ('rebuild')`
-- re-reads every channel (should a tool ever renumber the channels' rowids).

CREATE VIRTUAL TABLE IF NOT EXISTS channelsearchwords USING fts5(
    name, displayname, purpose,
    content = 'channels', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);

CREATE TRIGGER IF NOT EXISTS channelsearchwords_insert AFTER INSERT ON channels BEGIN
    INSERT INTO channelsearchwords (rowid, name, displayname, purpose)
    VALUES (new.rowid, new.name, new.displayname, new.purpose);
END;

CREATE TRIGGER IF NOT EXISTS channelsearchwords_delete AFTER DELETE ON channels BEGIN
    INSERT INTO channelsearchwords (channelsearchwords, rowid, name, displayname, purpose)
    VALUES ('delete', old.rowid, old.name, old.displayname, old.purpose);
END;

CREATE TRIGGER IF NOT EXISTS channelsearchwords_update
AFTER UPDATE OF name, displayname, purpose ON channels BEGIN
    INSERT INTO channelsearchwords (channelsearchwords, rowid, name, displayname, purpose)
    VALUES ('delete', old.rowid, old.name, old.displayname, old.purpose);
    INSERT INTO channelsearchwords (rowid, name, displayname, purpose)
    VALUES (new.rowid, new.name, new.displayname, new.purpose);
END;

-- The channels already there (an upgrade); re-running it rebuilds the same index.
INSERT INTO channelsearchwords (channelsearchwords) VALUES ('rebuild');
