import BulletinTestSupport
import Foundation
import Testing

/// A machine that cannot draw the bulletin legibly: no font shows Chinese. The night reads its landing
/// while fontconfig loads, then stops before publishing anything, exit 69, saying what to install; a
/// pipeline that asks for no PDF never asks for the font.
struct ChineseFontTests {
    /// A fontconfig configuration with no font folder at all, its cache in `root`.
    func noFonts(in root: URL) throws -> [String: String] {
        let conf = root.appendingPathComponent("no-fonts.conf")
        try """
            <?xml version="1.0"?>
            <!DOCTYPE fontconfig SYSTEM "fonts.dtd">
            <fontconfig><cachedir>\(root.appendingPathComponent("fontconfig-cache").path)</cachedir></fontconfig>
            """.write(to: conf, atomically: true, encoding: .utf8)
        return ["FONTCONFIG_FILE": conf.path]
    }

    @Test func withoutAChineseFontNothingIsPublishedAndTheNightExits69() throws {
        let (root, landing, truth) = try sampleDistrict("no-font", days: 2, seed: 31)
        let environment = try noFonts(in: root)
        for (name, store) in [("cold", ["--no-cache"]), ("warm", [])] {
            let out = root.appendingPathComponent(name)
            let run = try runBulletin(["run", "--date", truth.lastDay, "--landing", landing.path, "--out", out.path] + store,
                                      environment: environment, withStderr: true)
            #expect(run.status == 69, "\(name)")
            #expect(run.output.contains("本机没有可显示中文的字体") && run.output.contains("fonts-wqy-microhei"))
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(truth.lastDay).path))
            let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
            // The landing was read meanwhile; the refusal comes before any date's aggregation.
            #expect(log.contains("stage=ingest") && !log.contains("stage=publish"))
            #expect(log.contains("error=本机没有可显示中文的字体"))
        }
    }

    @Test func aPipelineWithoutThePDFDoesNotNeedTheFont() throws {
        let (root, landing, truth) = try sampleDistrict("no-font-no-pdf", days: 2, seed: 32)
        let yaml = try String(contentsOfFile: "Pipelines/daily.yaml", encoding: .utf8)
        let definition = root.appendingPathComponent("no-pdf.yaml")
        let noPDF = yaml.replacingOccurrences(of: "bulletin_html, bulletin_pdf,", with: "bulletin_html,")
        #expect(noPDF != yaml)
        try noPDF.write(to: definition, atomically: true, encoding: .utf8)
        let out = root.appendingPathComponent("out")
        let run = try runBulletin(["run", "--date", truth.lastDay, "--landing", landing.path, "--out", out.path,
                                   "--pipeline", definition.path], environment: try noFonts(in: root))
        #expect(run.status == 0)
        let day = out.appendingPathComponent(truth.lastDay)
        #expect(FileManager.default.fileExists(atPath: day.appendingPathComponent("bulletin.html").path))
        #expect(!FileManager.default.fileExists(atPath: day.appendingPathComponent("bulletin.pdf").path))
    }
}
