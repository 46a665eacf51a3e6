"""FHIR R4 for a guideline: a Questionnaire of its inputs, a PlanDefinition of its rules and a
Library of its source (`resources`), and patient facts read from a QuestionnaireResponse
(`response`). Plain JSON: nothing here needs a FHIR library (the tests validate the resources
with fhir.resources' R4B models)."""
