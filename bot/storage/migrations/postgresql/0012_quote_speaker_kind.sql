-- What kind of speaker each quotation has (bot.core.models.Quote.speaker_kind): 'person', or
-- 'organisation' when the text makes an organisation speak ("the DNC said in a statement", "CNN
-- reported"), shown as "a statement from the DNC"; NULL when not known (no speaker, a document such
-- as "the report", or a quotation stored before this column: a new ANALYSIS_VERSION rewrites them).

ALTER TABLE quotes ADD COLUMN speaker_kind TEXT DEFAULT NULL CHECK (speaker_kind IN ('person', 'organisation'));
