-- revision 0015: the schema the migrations create in an empty SQLite file (scripts/build_sqlite_schema.py; do not edit)
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE "cases" (
	id INTEGER NOT NULL, 
	notice_id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	label VARCHAR(64), 
	series VARCHAR(32), 
	number INTEGER, 
	sex VARCHAR(8), 
	age INTEGER, 
	category VARCHAR(16), 
	occupation TEXT, 
	residence TEXT, 
	isolation_date DATE, 
	positive_date DATE, 
	diagnosis TEXT, 
	span_start INTEGER, 
	span_end INTEGER, 
	parser_version VARCHAR(32) NOT NULL, 
	person_id INTEGER, 
	residence_district VARCHAR(64), 
	residence_adcode VARCHAR(6), onset_date DATE, symptoms TEXT, case_key VARCHAR(40), year_inferred BOOLEAN, exposure TEXT, exposure_origin VARCHAR(64), exposure_date DATE, discovery VARCHAR(40), discovery_phrase TEXT, hospital TEXT, number_scope VARCHAR(64) DEFAULT '' NOT NULL, 
	CONSTRAINT fk_cases_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT fk_cases_notice_id_notices FOREIGN KEY(notice_id) REFERENCES notices (id) ON DELETE CASCADE, 
	CONSTRAINT fk_cases_person_id_persons FOREIGN KEY(person_id) REFERENCES persons (id), 
	CONSTRAINT pk_cases PRIMARY KEY (id)
);

CREATE INDEX ix_cases_category ON cases (category);

CREATE UNIQUE INDEX ix_cases_document_id_case_key ON cases (document_id, case_key);

CREATE INDEX ix_cases_label ON cases (label);

CREATE INDEX ix_cases_notice_id ON cases (notice_id);

CREATE INDEX ix_cases_person_id ON cases (person_id);

CREATE INDEX ix_cases_positive_date ON cases (positive_date);

CREATE INDEX ix_cases_residence_adcode ON cases (residence_adcode);

CREATE INDEX ix_cases_series_number ON cases (series, number);

CREATE TABLE document_versions (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	first_seen DATETIME NOT NULL, 
	superseded_at DATETIME NOT NULL, 
	parser_version VARCHAR(32) NOT NULL, 
	cases_count INTEGER NOT NULL, 
	visits_count INTEGER NOT NULL, 
	relations_count INTEGER NOT NULL, 
	CONSTRAINT fk_document_versions_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT pk_document_versions PRIMARY KEY (id)
);

CREATE INDEX ix_document_versions_document_id ON document_versions (document_id);

CREATE TABLE documents (
	id INTEGER NOT NULL, 
	source VARCHAR(2048) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	size_bytes INTEGER NOT NULL, 
	encoding VARCHAR(32) NOT NULL, 
	media_type VARCHAR(128) NOT NULL, 
	text TEXT NOT NULL, 
	first_seen DATETIME NOT NULL, 
	changed_at DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	source_present BOOLEAN NOT NULL, 
	parser_version VARCHAR(32) NOT NULL, manifest VARCHAR(2048), fetched_at DATETIME, rows_digest VARCHAR(32), 
	CONSTRAINT pk_documents PRIMARY KEY (id), 
	CONSTRAINT uq_documents_source UNIQUE (source)
);

CREATE INDEX ix_documents_sha256 ON documents (sha256);

CREATE TABLE import_runs (
	id INTEGER NOT NULL, 
	command VARCHAR(32) NOT NULL, 
	started_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	parser_version VARCHAR(32) NOT NULL, 
	files_seen INTEGER NOT NULL, 
	files_new INTEGER NOT NULL, 
	files_changed INTEGER NOT NULL, 
	files_unchanged INTEGER NOT NULL, 
	files_failed INTEGER NOT NULL, 
	files_missing INTEGER NOT NULL, 
	rows_written INTEGER NOT NULL, 
	errors TEXT, 
	CONSTRAINT pk_import_runs PRIMARY KEY (id)
);

CREATE TABLE notices (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	title TEXT, 
	number VARCHAR(64), 
	issuer TEXT, 
	city VARCHAR(64), 
	published DATE, 
	year_in_text BOOLEAN NOT NULL, 
	span_start INTEGER, 
	span_end INTEGER, 
	parser_version VARCHAR(32) NOT NULL, 
	CONSTRAINT fk_notices_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT pk_notices PRIMARY KEY (id)
);

CREATE INDEX ix_notices_city ON notices (city);

CREATE INDEX ix_notices_document_id ON notices (document_id);

CREATE INDEX ix_notices_published ON notices (published);

CREATE TABLE "persons" (
	id INTEGER NOT NULL, 
	city VARCHAR(64) NOT NULL, 
	year INTEGER NOT NULL, 
	series VARCHAR(32) NOT NULL, 
	number INTEGER NOT NULL, 
	scope VARCHAR(64) DEFAULT '' NOT NULL, 
	CONSTRAINT pk_persons PRIMARY KEY (id), 
	CONSTRAINT uq_persons_city_year_series_number_scope UNIQUE (city, year, series, number, scope)
);

CREATE TABLE places (
	id INTEGER NOT NULL, 
	name TEXT NOT NULL, 
	normalised_name VARCHAR(512) NOT NULL, 
	city VARCHAR(64) NOT NULL, 
	district VARCHAR(64), province VARCHAR(64), adcode VARCHAR(6), latitude FLOAT, longitude FLOAT, category VARCHAR(32), 
	CONSTRAINT pk_places PRIMARY KEY (id), 
	CONSTRAINT uq_places_name_city UNIQUE (normalised_name, city)
);

CREATE INDEX ix_places_adcode ON places (adcode);

CREATE INDEX ix_places_category ON places (category);

CREATE TABLE relations (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	other_label VARCHAR(64) NOT NULL, 
	other_case_id INTEGER, 
	kind VARCHAR(16) NOT NULL, 
	phrase TEXT, 
	span_start INTEGER, 
	span_end INTEGER, 
	parser_version VARCHAR(32) NOT NULL, other_series VARCHAR(32), other_number INTEGER, relation_key VARCHAR(40), other_scope VARCHAR(64) DEFAULT '' NOT NULL, 
	CONSTRAINT fk_relations_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT fk_relations_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT fk_relations_other_case_id_cases FOREIGN KEY(other_case_id) REFERENCES cases (id) ON DELETE SET NULL, 
	CONSTRAINT pk_relations PRIMARY KEY (id)
);

CREATE INDEX ix_relations_case_id ON relations (case_id);

CREATE UNIQUE INDEX ix_relations_document_id_relation_key ON relations (document_id, relation_key);

CREATE INDEX ix_relations_kind ON relations (kind);

CREATE INDEX ix_relations_other_case_id ON relations (other_case_id);

CREATE INDEX ix_relations_other_label ON relations (other_label);

CREATE INDEX ix_relations_other_number ON relations (other_number);

CREATE TABLE visits (
	id INTEGER NOT NULL, 
	case_id INTEGER, 
	notice_id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	place_id INTEGER, 
	kind VARCHAR(8) NOT NULL, 
	date DATE, 
	end_date DATE, 
	start DATETIME, 
	"end" DATETIME, 
	part_of_day VARCHAR(8), 
	place_text TEXT, 
	activity TEXT, 
	vehicle TEXT, 
	span_start INTEGER, 
	span_end INTEGER, 
	parser_version VARCHAR(32) NOT NULL, place_qualifier VARCHAR(32), visit_key VARCHAR(40), year_inferred BOOLEAN, 
	CONSTRAINT fk_visits_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT fk_visits_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT fk_visits_notice_id_notices FOREIGN KEY(notice_id) REFERENCES notices (id) ON DELETE CASCADE, 
	CONSTRAINT fk_visits_place_id_places FOREIGN KEY(place_id) REFERENCES places (id), 
	CONSTRAINT pk_visits PRIMARY KEY (id)
);

CREATE INDEX ix_visits_case_date ON visits (case_id, date);

CREATE INDEX ix_visits_date_place_id ON visits (date, place_id);

CREATE UNIQUE INDEX ix_visits_document_id_visit_key ON visits (document_id, visit_key);

CREATE INDEX ix_visits_notice_id ON visits (notice_id);

INSERT INTO alembic_version (version_num) VALUES ('0015')
