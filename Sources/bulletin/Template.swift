import ArgumentParser
import BulletinCore
import BulletinPipeline
import BulletinReport
import Foundation

/// `bulletin template`: a blank form for schools, made from the form's declaration.
struct Template: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "生成空白表单模板（表头、填表说明、下拉选项、日期格式）。",
        discussion: "FORM is one of: \(FormKind.allCases.map(\.rawValue).joined(separator: ", ")).")

    @Argument(help: "The form: institutions, daily, roster, care, duty or inspections.")
    var form: String

    @Option(help: "xlsx, xml (XML Spreadsheet 2003) or csv.")
    var format: String = "xlsx"

    @Option(help: "Header language: zh (Chinese, as schools type it) or en.")
    var lang: String = "zh"

    @Option(help: "The file to write.")
    var out: String

    @Option(help: "The pipeline definition whose deadline the instructions state. Default: as for run.")
    var pipeline: String?

    func validate() throws {
        guard FormKind(rawValue: form) != nil else {
            throw ValidationError("未知表单“\(form)”；可选：\(FormKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ["xlsx", "xml", "csv"].contains(format) else { throw ValidationError("--format 应为 xlsx、xml 或 csv") }
        guard FormTemplate.Language(rawValue: lang) != nil else { throw ValidationError("--lang 应为 zh 或 en") }
    }

    func run() throws {
        let definition: PipelineDefinition
        do { definition = try PipelineDefinition.load(pipeline ?? RunOptions.defaultPipelinePath) } catch {
            printError("\(error)")
            throw Exit.badDefinition
        }
        let template = FormTemplate(form: FormKind(rawValue: form)!, language: FormTemplate.Language(rawValue: lang)!,
                                    deadline: definition.parameters.reportDeadline)
        let bytes: [UInt8]
        switch format {
        case "csv": bytes = template.csv
        case "xml": bytes = TemplateWorkbooks.spreadsheetML(template)
        default: bytes = TemplateWorkbooks.xlsx(template)
        }
        do { try Data(bytes).write(to: URL(fileURLWithPath: out)) } catch {
            printError("无法写出模板 \(out) / cannot write the template: \(error)")
            throw Exit.cannotWrite
        }
        print("\(out)：\(template.form.chineseName)模板（\(format)）")
    }
}

/// `bulletin forms --json`: the forms as Table Schemas, for Frictionless or qsv.
struct Forms: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forms", abstract: "以 JSON（Frictionless Table Schema）列出六种表单的列。")

    @Flag(help: "Print the forms as JSON (the only output for now).")
    var json = false

    @Option(help: "Field names in zh (Chinese, as schools type them) or en.")
    var lang: String = "zh"

    func validate() throws {
        guard FormTemplate.Language(rawValue: lang) != nil else { throw ValidationError("--lang 应为 zh 或 en") }
        guard json else { throw ValidationError("请加 --json") }
    }

    func run() throws { print(FormSchema.json(language: FormTemplate.Language(rawValue: lang)!)) }
}
