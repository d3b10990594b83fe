// What a component of form fields (DesignationFields, OrgUnitFields) takes
// from the form it sits in.

export interface FieldGroupProps {
  /** The server's field errors, by field name. */
  errors: Record<string, string | undefined>
  /** The prefix of the fields' test ids: `${testid}-<field>`. */
  testid: string
}
