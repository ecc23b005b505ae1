"""Request and response bodies of API v1, one module per resource (pydantic v2).

Routes validate their input with these models; glossary.api.openapi generates the OpenAPI
document from them (and from the glossary/1 JSON Schema for terms and sources)."""
