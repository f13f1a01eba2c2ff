import BulletinCore
import BulletinTestSupport
import Testing

/// The one scrubber every written string passes: the probes of issue 14 and the text it must leave alone.
struct ScrubberTests {
    @Test(arguments: [
        ("机构代码370102199001011234有误", "机构代码370102********1234有误"),
        ("11010519491231002X", "110105********002X"),
        ("身份证110105491231002", "身份证110105********1002"),
        ("未知列已忽略：13800138000", "未知列已忽略：*******8000"),
        ("王五 139-0013-9000", "王五 *******9000"),
        ("电话138 0013 8000。", "电话*******8000。"),
        ("+86 138 0013 8000", "*********8000"),
        ("+8613800138000", "*********8000"),
        ("济南西站（0531-86661234）", "济南西站（********1234）"),
        ("(0531)8666123", "(*******6123"),
        ("0531 88886666", "********6666"),
        ("a\u{0}b\u{7}c", "abc"),
        ("2020-02-26/花名册/13800138000.csv", "2020-02-26/花名册/*******8000.csv"),
        ("（0531）86661234", "（********1234"),
        ("2020-02-26\u{0}/370102001.csv", "2020-02-26/370102001.csv"),
    ])
    func masks(_ input: String, _ expected: String) {
        #expect(Masking.scrub(input) == expected)
    }

    @Test(arguments: [
        "2020-02-17 09:30:00", "2020-02-17 2020-02-18", "在济学生47+离济学生2=49，不等于学生总数50",
        "填报时间2020-02-17 16:08:00晚于截止时间2020-02-17 12:00:00", "HYK001", "第1234567行",
        "2020-02-17 16:00:00–2020-02-18 00:00:00", "370102********1234",
        "2020-02-26/花名册/370102001.csv", "2020-02-26/日报/2020-02-26-370102001.xlsx#Sheet1",
    ])
    func leavesOrdinaryTextAlone(_ text: String) {
        #expect(Masking.scrub(text) == text)
    }
}

/// Text placed in HTML and in the workbooks' XML.
struct MarkupTests {
    @Test(arguments: [
        ("机构代码HYK001", "机构代码HYK001"),
        ("", ""),
        ("a<b>&\"c\"", "a&lt;b&gt;&amp;&quot;c&quot;"),
        ("温暖在线&关爱", "温暖在线&amp;关爱"),
        // An ampersand with a combining mark is one Character, and still an ampersand to XML.
        ("&\u{301}x", "&amp;\u{301}x"),
        ("'单引号'", "'单引号'"),
    ])
    func escapesExactlyTheFourMarkupCharacters(_ text: String, _ escaped: String) {
        #expect(Markup.escape(text) == escaped)
    }
}
