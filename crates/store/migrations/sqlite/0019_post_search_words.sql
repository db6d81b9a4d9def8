-- PostgreSQL only (the full-text search engine's index); kept in step with its number.
SELECT 1;
