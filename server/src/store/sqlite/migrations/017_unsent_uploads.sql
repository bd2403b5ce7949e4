-- An agent's upload that no message carries is removed a day after its public link lapsed
-- (usecases/forget-unsent-uploads.ts); this finds them without reading every media row (inbound
-- media, and sent uploads, which the transcript keeps showing, are not in it).
CREATE INDEX media_unsent ON media (public_expires_at) WHERE conversation_id IS NULL AND source_url IS NULL;
