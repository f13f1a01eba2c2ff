import BulletinCore

/// Names, streets and places of the sample district (槐荫区, 济南).
enum Names {
    static let streets = ["振兴街街道", "中大槐树街道", "道德街街道", "西市场街道", "五里沟街道", "营市街街道",
                          "青年公园街道", "南辛庄街道", "段店北路街道", "张庄路街道", "匡山街道", "美里湖街道",
                          "吴家堡街道", "腊山街道", "兴福街道", "玉清湖街道"]
    static let places = ["槐荫", "匡山", "腊山", "兴福", "美里", "玉清", "张庄", "段店", "南辛", "营市", "青年", "西市",
                         "道德", "振兴", "吴家堡", "清源", "经纬", "阳光", "实验", "育英", "明德", "翡翠", "绿地", "恒大",
                         "保利", "中海", "万达", "融创", "银座", "泉城", "济微", "二机床", "育秀", "礼德", "培英", "春晖"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
    static let given = Array("子涵欣怡梓轩浩然宇航思彤一诺雨桐俊杰佳怡明轩诗涵晨阳嘉怡博文紫萱天佑雅琪志强秀英建华丽娜文博静怡海洋春燕国栋玉兰")
    static let awayTo = ["湖北省武汉市", "湖北省孝感市", "河南省郑州市", "山东省临沂市", "山东省菏泽市", "安徽省阜阳市",
                         "河北省石家庄市", "江苏省徐州市", "海南省三亚市", "北京市"]
    /// Region codes (first six digits of an ID number) around Jinan.
    static let regions = ["370104", "370102", "370103", "370105", "370112", "370181", "370124", "371302", "420106", "411302"]

    static func person(_ r: inout SeededRandom) -> String {
        var name = String(r.pick(surnames))
        name.append(r.pick(given))
        if r.chance(0.7) { name.append(r.pick(given)) }
        return name
    }

    static func mobile(_ r: inout SeededRandom) -> String {
        "1" + String(r.pick([3, 5, 7, 8, 9])) + (0..<9).map { _ in String(r.int(0...9)) }.joined()
    }

    /// A valid ID number for someone born in `birthYear`, of the given gender (0 男, 1 女).
    static func idNumber(_ r: inout SeededRandom, birthYear: Int, gender: Int) -> String {
        let region = r.pick(regions)
        let birth = LocalDate(year: birthYear, month: 1, day: 1)!.adding(days: r.int(0...364))
        let c = birth.components
        let seq = r.int(0...99) * 10 + r.int(0...4) * 2 + (gender == 0 ? 1 : 0)
        let body = region + zeroPadded(width: 4, c.year) + zeroPadded(width: 2, c.month) + zeroPadded(width: 2, c.day) + zeroPadded(width: 3, seq)
        let digits = body.map { Int(String($0))! }
        return body + String(IDNumber.checkCharacter(digits))
    }
}

/// `v` with leading zeros to `width` digits.
func zeroPadded(width: Int, _ v: Int) -> String {
    let digits = String(v)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
