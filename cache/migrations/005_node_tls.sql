-- DICOM TLS per remote node: on/off, the CA file that node's certificate is checked against
-- (empty: the system's trust store), and our client certificate and key for mutual TLS (empty:
-- the workstation's tls-cert / tls-key settings). Paths, never the keys themselves.
ALTER TABLE remote_nodes ADD COLUMN tls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE remote_nodes ADD COLUMN tls_ca TEXT NOT NULL DEFAULT '';
ALTER TABLE remote_nodes ADD COLUMN tls_cert TEXT NOT NULL DEFAULT '';
ALTER TABLE remote_nodes ADD COLUMN tls_key TEXT NOT NULL DEFAULT '';
