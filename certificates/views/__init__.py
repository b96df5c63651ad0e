"""The certificates pages: public verification, the holder's own certificates, the keys."""
