import BulletinCore

/// The six forms as Frictionless Table Schemas, generated from their declarations, so a data team can
/// validate files with Frictionless or qsv before (or beside) `bulletin check`.
public enum FormSchema {
    /// `{"forms": [{"name", "title", "schema": {"fields": […], "missingValues": [""]}}]}`; field names
    /// are the header names of `language` (Chinese by default, as schools type them), titles the other.
    public static func json(language: FormTemplate.Language) -> String {
        JSONValue.object([("forms", .array(FormKind.allCases.map { form in
            .object([
                ("name", .string(form.rawValue)),
                ("title", .string(form.chineseName)),
                ("schema", .object([
                    ("fields", .array(form.columns.map { field($0, language: language) })),
                    ("missingValues", .array([.string("")])),
                ])),
            ])
        }))]).rendered()
    }

    private static func field(_ c: ColumnSpec, language: FormTemplate.Language) -> JSONValue {
        let zh = language == .zh
        var constraints: [(String, JSONValue)] = [("required", .bool(c.required))]
        var members: [(String, JSONValue)] = [
            ("name", .string(zh ? c.chinese : c.english)),
            ("title", .string(zh ? c.english : c.chinese)),
            ("description", .string(zh ? c.type.chineseDescription : c.type.englishDescription)),
        ]
        switch c.type {
        case .count:
            members.append(("type", .string("integer")))
            constraints += [("minimum", .int(0)), ("maximum", .int(999_999_999))]
        case .date, .dateTime:
            members += [("type", .string(c.type.tableSchemaType)), ("format", .string("any"))]
        case .yesNo:
            members += [("type", .string("boolean")),
                        ("trueValues", .array(["是", "y", "Y", "yes", "Yes", "YES", "true", "TRUE", "1", "√", "✓"].map { .string($0) })),
                        ("falseValues", .array(["否", "n", "N", "no", "No", "NO", "false", "FALSE", "0", "×", "✗", "x", "X"].map { .string($0) }))]
        case .choice(let set):
            members.append(("type", .string("string")))
            constraints.append(("enum", .array((set.choices.map(\.label) + set.choices.map(\.code)).map { .string($0) })))
        case .text, .timeOrDateTime, .phone, .idNumber:
            members.append(("type", .string("string")))
        }
        members.append(("constraints", .object(constraints)))
        return .object(members)
    }
}
