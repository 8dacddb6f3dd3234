"""The demo's newspaper pages, installed as the package ``casedb.seeds`` (see setup.py).
``casedb load`` reads only .txt .html .htm .docx .doc, so this file is not loaded."""
