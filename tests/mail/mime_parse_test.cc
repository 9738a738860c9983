// Parser unit tests on strings: one test per MIME feature the mail importer must handle.
#include "importers/mail/mime_parse.h"

#include <gtest/gtest.h>

#include "importers/mail/text_convert.h"

namespace sunshine::mail {
namespace {

ParsedMail Parse(const std::string& bytes) {
  auto parsed = ParseMail(bytes);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : ParsedMail();
}

bool HasFlag(const ParsedMail& mail, const std::string& flag) {
  return std::find(mail.flags.begin(), mail.flags.end(), flag) != mail.flags.end();
}

TEST(MimeParseTest, SimplePlainMessageWithHeaders) {
  ParsedMail mail = Parse(
      "Message-ID: <abc.123@example.gov>\n"
      "Date: Tue, 04 Mar 2003 11:12:13 -0600\n"
      "From: \"Clerk, County\" <clerk@example.gov>\n"
      "To: a@example.gov, Bob <b@example.gov>\n"
      "Cc: c@example.gov\n"
      "Bcc: d@example.gov\n"
      "Subject: Budget\n"
      "In-Reply-To: <parent@example.gov>\n"
      "References: <root@example.gov> <parent@example.gov>\n"
      "\n"
      "Hello.\n");
  EXPECT_EQ(mail.message_id, "abc.123@example.gov");
  EXPECT_EQ(mail.subject, "Budget");
  ASSERT_TRUE(mail.date.has_value());
  EXPECT_EQ(*mail.date, 1046797933);
  ASSERT_EQ(mail.from.size(), 1U);
  EXPECT_EQ(mail.from[0].name, "Clerk, County");
  EXPECT_EQ(mail.from[0].address, "clerk@example.gov");
  ASSERT_EQ(mail.to.size(), 2U);
  EXPECT_EQ(mail.to[1].name, "Bob");
  EXPECT_EQ(mail.cc.size(), 1U);
  EXPECT_EQ(mail.bcc.size(), 1U);
  EXPECT_EQ(mail.in_reply_to, "parent@example.gov");
  EXPECT_EQ(mail.references, (std::vector<std::string>{"root@example.gov", "parent@example.gov"}));
  EXPECT_EQ(mail.body, "Hello.\n");
  EXPECT_EQ(mail.body_source, "text/plain");
  EXPECT_TRUE(mail.flags.empty());
}

TEST(MimeParseTest, CrlfAndBareCrLineEndings) {
  ParsedMail crlf = Parse("From: a@b.example\r\nSubject: crlf\r\n\r\nline one\r\nline two\r\n");
  EXPECT_EQ(crlf.subject, "crlf");
  EXPECT_NE(crlf.body.find("line two"), std::string::npos);
  ParsedMail cr = Parse("From: a@b.example\rSubject: bare cr\r\rline one\rline two\r");
  EXPECT_EQ(cr.subject, "bare cr");
  EXPECT_NE(cr.body.find("line one\nline two"), std::string::npos);
}

TEST(MimeParseTest, Rfc2047AdjacentEncodedWordsAreJoined) {
  ParsedMail mail = Parse(
      "From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm@example.de>\n"
      "Subject: =?ISO-8859-1?Q?Anfrage_=FC?= =?ISO-8859-1?Q?ber_Parkgeb=FChren?=\n"
      "\n"
      "x\n");
  EXPECT_EQ(mail.subject, "Anfrage über Parkgebühren");
  EXPECT_EQ(mail.from[0].name, "Jürgen Müller");
}

TEST(MimeParseTest, Rfc2047Koi8rAndBase64Words) {
  ParsedMail mail = Parse(
      "From: x@example.ru\n"
      "Subject: =?KOI8-R?B?8NLJ18XU?= =?UTF-8?B?0LzQuNGA?=\n"
      "\n"
      "x\n");
  EXPECT_EQ(mail.subject, "Приветмир");
}

TEST(MimeParseTest, RawEightBitHeadersAreDecoded) {
  ParsedMail utf8 = Parse("From: a@example.com\nSubject: caf\xC3\xA9\n\nx\n");
  EXPECT_EQ(utf8.subject, "café");
  ParsedMail latin1 = Parse("From: a@example.com\nSubject: caf\xE9\n\nx\n");
  EXPECT_EQ(latin1.subject, "café");
}

TEST(MimeParseTest, MultipartMixedWithBase64AttachmentAndRfc2231Filename) {
  ParsedMail mail = Parse(
      "From: a@example.com\n"
      "Subject: attachment\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"XX\"\n"
      "\n"
      "preamble\n"
      "--XX\n"
      "Content-Type: text/plain; charset=us-ascii\n"
      "\n"
      "See attached.\n"
      "--XX\n"
      "Content-Type: application/pdf\n"
      "Content-Disposition: attachment;\n"
      " filename*0*=UTF-8''R%C3%A9sum%C3%A9%20;\n"
      " filename*1=\"final.pdf\"\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "JVBERi0xLjQKJcfs\n"
      "--XX--\n");
  EXPECT_EQ(mail.body, "See attached.");  // the last line break belongs to the boundary
  ASSERT_EQ(mail.attachments.size(), 1U);
  EXPECT_EQ(mail.attachments[0].filename, "Résumé final.pdf");
  EXPECT_EQ(mail.attachments[0].media_type, "application/pdf");
  EXPECT_EQ(mail.attachments[0].bytes, "%PDF-1.4\n%\xC7\xEC");
  EXPECT_FALSE(mail.attachments[0].text.has_value());
}

TEST(MimeParseTest, AlternativePrefersPlainText) {
  ParsedMail mail = Parse(
      "From: a@example.com\n"
      "Content-Type: multipart/alternative; boundary=b\n"
      "\n"
      "--b\n"
      "Content-Type: text/html\n"
      "\n"
      "<p>HTML version</p>\n"
      "--b\n"
      "Content-Type: text/plain\n"
      "\n"
      "Plain version\n"
      "--b--\n");
  EXPECT_EQ(mail.body, "Plain version");
  EXPECT_EQ(mail.body_source, "text/plain");
  EXPECT_TRUE(mail.attachments.empty());
}

TEST(MimeParseTest, HtmlOnlyBodyBecomesReadableText) {
  ParsedMail mail = Parse(
      "From: a@example.com\n"
      "Content-Type: text/html; charset=utf-8\n"
      "\n"
      "<html><head><title>t</title><style>p{color:red}</style></head><body>"
      "<p>Dear&nbsp;Sir,</p><p>The <b>hearing</b> is &amp; was moved.</p>"
      "<script>alert(1)</script><ul><li>one</li><li>two</li></ul></body></html>\n");
  EXPECT_EQ(mail.body_source, "text/html");
  EXPECT_EQ(mail.body, "Dear\xC2\xA0Sir,\nThe hearing is & was moved.\n- one\n- two");
}

TEST(MimeParseTest, RelatedHtmlInsideAlternativeWithImage) {
  ParsedMail mail = Parse(
      "From: a@example.com\n"
      "Content-Type: multipart/mixed; boundary=m\n"
      "\n"
      "--m\n"
      "Content-Type: multipart/alternative; boundary=a\n"
      "\n"
      "--a\n"
      "Content-Type: multipart/related; boundary=r\n"
      "\n"
      "--r\n"
      "Content-Type: text/html\n"
      "\n"
      "<div>Only <i>html</i></div>\n"
      "--r\n"
      "Content-Type: image/png\n"
      "Content-ID: <logo>\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "iVBORw0KGgo=\n"
      "--r--\n"
      "--a--\n"
      "--m--\n");
  EXPECT_EQ(mail.body, "Only html");
  ASSERT_EQ(mail.attachments.size(), 1U);
  EXPECT_EQ(mail.attachments[0].media_type, "image/png");
  EXPECT_EQ(mail.attachments[0].filename, "part-1.png");
  EXPECT_EQ(mail.attachments[0].bytes, "\x89PNG\r\n\x1A\n");
}

TEST(MimeParseTest, SignedMessageKeepsSignatureAsAttachment) {
  ParsedMail mail = Parse(
      "From: a@example.com\n"
      "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; "
      "micalg=pgp-sha256; boundary=s\n"
      "\n"
      "--s\n"
      "Content-Type: text/plain\n"
      "\n"
      "Signed text\n"
      "--s\n"
      "Content-Type: application/pgp-signature; name=signature.asc\n"
      "\n"
      "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n"
      "--s--\n");
  EXPECT_EQ(mail.body, "Signed text");
  ASSERT_EQ(mail.attachments.size(), 1U);
  EXPECT_EQ(mail.attachments[0].filename, "signature.asc");
}

TEST(MimeParseTest, ReportWithDeliveryStatusAndNestedMessage) {
  ParsedMail mail = Parse(
      "From: MAILER-DAEMON@example.com\n"
      "Subject: Undelivered Mail\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n"
      "\n"
      "--r\n"
      "Content-Type: text/plain\n"
      "\n"
      "Your message could not be delivered.\n"
      "--r\n"
      "Content-Type: message/delivery-status\n"
      "\n"
      "Reporting-MTA: dns; mx.example.com\n"
      "\n"
      "Final-Recipient: rfc822; nobody@example.org\n"
      "Status: 5.1.1\n"
      "--r\n"
      "Content-Type: message/rfc822\n"
      "\n"
      "From: sender@example.com\n"
      "To: nobody@example.org\n"
      "Subject: =?UTF-8?Q?Inner_subj=C3=A9ct?=\n"
      "Content-Type: multipart/mixed; boundary=inner\n"
      "\n"
      "--inner\n"
      "Content-Type: text/plain\n"
      "\n"
      "the zebra crossing petition\n"
      "--inner\n"
      "Content-Type: text/plain; name=notes.txt\n"
      "Content-Disposition: attachment; filename=notes.txt\n"
      "\n"
      "aardvark notes\n"
      "--inner--\n"
      "--r--\n");
  EXPECT_EQ(mail.body, "Your message could not be delivered.");
  ASSERT_EQ(mail.attachments.size(), 2U);
  EXPECT_EQ(mail.attachments[0].media_type, "message/delivery-status");
  ASSERT_TRUE(mail.attachments[0].text.has_value());
  EXPECT_NE(mail.attachments[0].text->find("5.1.1"), std::string::npos);
  const MailAttachment& inner = mail.attachments[1];
  EXPECT_TRUE(inner.attached_message);
  EXPECT_EQ(inner.media_type, "message/rfc822");
  EXPECT_EQ(inner.filename, "Inner subjéct.eml");
  EXPECT_NE(inner.bytes.find("From: sender@example.com"), std::string::npos);
  ASSERT_TRUE(inner.text.has_value());
  EXPECT_NE(inner.text->find("Subject: Inner subjéct"), std::string::npos);
  EXPECT_NE(inner.text->find("zebra crossing"), std::string::npos);
  EXPECT_NE(inner.text->find("aardvark notes"), std::string::npos);
}

TEST(MimeParseTest, TransferEncodings) {
  ParsedMail qp = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n\nK=F6ln ist=\n sch=F6n\n");
  EXPECT_EQ(qp.body, "Köln ist schön\n");
  ParsedMail b64 = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: base64\n\nSGVsbG8gd8O2cmxk\n");
  EXPECT_EQ(b64.body, "Hello wörld");
  ParsedMail eight = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: 8bit\n\nna\xC3\xAFve\n");
  EXPECT_EQ(eight.body, "naïve\n");
  ParsedMail binary = Parse(
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: application/octet-stream; name=x.bin\nContent-Transfer-Encoding: binary\n\n"
      "\x01\x02\x03\n--b--\n");
  ASSERT_EQ(binary.attachments.size(), 1U);
  EXPECT_EQ(binary.attachments[0].bytes, "\x01\x02\x03");
  ParsedMail seven =
      Parse("From: a@example.com\nContent-Transfer-Encoding: 7bit\n\nplain seven bit\n");
  EXPECT_EQ(seven.body, "plain seven bit\n");
}

TEST(MimeParseTest, UuencodeAsTransferEncodingAndInline) {
  // "Cat" uuencoded.
  ParsedMail cte = Parse(
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: application/octet-stream; name=cat.txt\n"
      "Content-Transfer-Encoding: x-uuencode\n\n"
      "begin 644 cat.txt\n#0V%T\n`\nend\n--b--\n");
  ASSERT_EQ(cte.attachments.size(), 1U);
  EXPECT_EQ(cte.attachments[0].bytes, "Cat");
  ParsedMail inline_block = Parse(
      "From: a@example.com\n\nHere is the file:\n"
      "begin 644 cat.txt\n#0V%T\n`\nend\nThanks.\n");
  ASSERT_EQ(inline_block.attachments.size(), 1U);
  EXPECT_EQ(inline_block.attachments[0].filename, "cat.txt");
  EXPECT_EQ(inline_block.attachments[0].bytes, "Cat");
  EXPECT_EQ(inline_block.body, "Here is the file:\nThanks.\n");
  EXPECT_TRUE(HasFlag(inline_block, "uuencoded-attachment"));
}

TEST(MimeParseTest, CharsetsConvertedToUtf8) {
  ParsedMail koi8 = Parse(
      "From: a@example.com\nContent-Type: text/plain; "
      "charset=koi8-r\n\n\xF0\xD2\xC9\xD7\xC5\xD4\n");
  EXPECT_EQ(koi8.body, "Привет\n");
  ParsedMail sjis = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=shift_jis\n\n\x93\xFA\x96\x7B\n");
  EXPECT_EQ(sjis.body, "日本\n");
  ParsedMail jis = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=iso-2022-jp\n\n"
      "\x1B$BF|K\\\x1B(B\n");
  EXPECT_EQ(jis.body, "日本\n");
  EXPECT_EQ(koi8.flags, std::vector<std::string>{"date-missing"});
}

TEST(MimeParseTest, UnknownOrInvalidCharsetIsFlaggedAndStillValidUtf8) {
  ParsedMail unknown = Parse(
      "From: a@example.com\nContent-Type: text/plain; charset=x-no-such-charset\n\ncaf\xE9\n");
  EXPECT_TRUE(HasFlag(unknown, "charset-unknown"));
  EXPECT_EQ(unknown.body, "café\n");
  ParsedMail lossy =
      Parse("From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nbad \xFF\xFE bytes\n");
  EXPECT_TRUE(HasFlag(lossy, "charset-lossy"));
  EXPECT_TRUE(IsValidUtf8(lossy.body));
  EXPECT_NE(lossy.body.find("\xEF\xBF\xBD"), std::string::npos);
  // Found by fuzz_mime: a NUL in undeclared 8-bit text survived the windows-1252 path.
  const char kNul[] = "From: a@example.com\n\nx\0y\x81z\xE9\n";
  ParsedMail nul = Parse(std::string(kNul, sizeof(kNul) - 1));
  EXPECT_TRUE(IsValidUtf8(nul.body));
  EXPECT_EQ(nul.body.substr(0, 2), "xy");
  ParsedMail undeclared = Parse("From: a@example.com\n\nna\xEFve\n");
  EXPECT_TRUE(HasFlag(undeclared, "charset-unknown"));
  EXPECT_EQ(undeclared.body, "naïve\n");
}

TEST(MimeParseTest, AddressGroupsAndOddAddresses) {
  ParsedMail mail = Parse(
      "From: Council <council@example.gov>\n"
      "To: Board: one@example.gov, Two <two@example.gov>;, undisclosed-recipients:;\n"
      "Cc: =?UTF-8?Q?Ren=C3=A9e?= <renee@example.fr>\n"
      "\nx\n");
  ASSERT_EQ(mail.to.size(), 2U);
  EXPECT_EQ(mail.to[0].address, "one@example.gov");
  EXPECT_EQ(mail.to[1].name, "Two");
  ASSERT_EQ(mail.cc.size(), 1U);
  EXPECT_EQ(mail.cc[0].name, "Renée");
}

TEST(MimeParseTest, BrokenDates) {
  EXPECT_EQ(ParseMailDate("Tue, 04 Mar 2003 11:12:13 -0600"), 1046797933);
  EXPECT_EQ(ParseMailDate("04 Mar 2003 11:12:13 -0600"), 1046797933);       // no weekday
  EXPECT_EQ(ParseMailDate("Tue, 4 Mar 03 17:12:13 GMT"), 1046797933);       // two-digit year
  EXPECT_EQ(ParseMailDate("Tue, 04 Mar 2003 17.12.13 +0000"), 1046797933);  // dots
  EXPECT_EQ(ParseMailDate("Tue, 04 Mar 2003 18:12:13 GMT+0100"), 1046797933);
  EXPECT_EQ(ParseMailDate("2003-03-04T17:12:13Z"), 1046797933);
  EXPECT_EQ(ParseMailDate("2003-03-04 11:12:13 -06:00"), 1046797933);
  EXPECT_EQ(ParseMailDate("Tue, 04 Mar 2003 17:12:13 +0000 (UTC)"), 1046797933);
  EXPECT_EQ(ParseMailDate("Thu,      13        Feb          1969      23:32               -0330 "
                          "(Newfoundland Time)"),
            -27723480);  // RFC 5322 appendix A.5: odd spacing and a comment
  EXPECT_FALSE(ParseMailDate("Mon, 30 Jun 3609 15:33:50 +0600").has_value());  // implausible
  EXPECT_FALSE(ParseMailDate("sometime last week").has_value());
  EXPECT_FALSE(ParseMailDate("").has_value());
  EXPECT_EQ(ParseMboxFromDate("From someone@example.com Tue Mar  4 17:12:13 2003"), 1046797933);
  EXPECT_EQ(ParseMboxFromDate("From MAILER-DAEMON Tue Mar 04 17:12:13 2003"), 1046797933);

  ParsedMail bad = Parse("From: a@example.com\nDate: the day before yesterday\n\nx\n");
  EXPECT_FALSE(bad.date.has_value());
  EXPECT_TRUE(HasFlag(bad, "date-unparseable"));
  EXPECT_EQ(bad.date_header, "the day before yesterday");
  ParsedMail missing = Parse("From: a@example.com\n\nx\n");
  EXPECT_TRUE(HasFlag(missing, "date-missing"));
}

TEST(MimeParseTest, AttachmentFileNamesAreSanitised) {
  EXPECT_EQ(SanitizeFilename("../../etc/passwd", "f"), "passwd");
  EXPECT_EQ(SanitizeFilename("C:\\Users\\x\\report.doc", "f"), "report.doc");
  EXPECT_EQ(SanitizeFilename("a<b>c:d\"e|f?g*h.txt", "f"), "a_b_c_d_e_f_g_h.txt");
  EXPECT_EQ(SanitizeFilename("..hidden", "f"), "hidden");
  EXPECT_EQ(SanitizeFilename("tab\tname\x01.txt", "f"), "tabname.txt");
  EXPECT_EQ(SanitizeFilename("", "part-1.bin"), "part-1.bin");
  EXPECT_EQ(SanitizeFilename("...", "part-1.bin"), "part-1.bin");
  EXPECT_EQ(SanitizeFilename("CON.txt", "f"), "_CON.txt");
  std::string long_name(300, 'x');
  std::string sanitized = SanitizeFilename(long_name + ".pdf", "f");
  EXPECT_EQ(sanitized.size(), 200U);
  EXPECT_EQ(sanitized.substr(196), ".pdf");
  EXPECT_TRUE(IsValidUtf8(SanitizeFilename("\xC3\xA9\xFF.txt", "f")));

  ParsedMail mail = Parse(
      "From: a@example.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: text/plain\n\nbody\n--b\n"
      "Content-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"../../../.bashrc\"\n\nrm -rf\n--b--\n");
  ASSERT_EQ(mail.attachments.size(), 1U);
  EXPECT_EQ(mail.attachments[0].filename, "bashrc");
}

TEST(MimeParseTest, MessageIdNormalised) {
  EXPECT_EQ(NormalizeMessageId("  <Abc@Example.COM> "), "Abc@Example.COM");
  EXPECT_EQ(NormalizeMessageId("<a b@c>"), "ab@c");
  EXPECT_EQ(NormalizeMessageId("no-brackets@x"), "no-brackets@x");
  EXPECT_EQ(NormalizeMessageId(""), "");
}

TEST(MimeParseTest, NotAMessageIsInvalidInput) {
  EXPECT_EQ(ParseMail("").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ParseMail("\n\n\n").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ParseMail("This is just a letter.\nNo headers.\n").status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(ParseMail("\x89PNG\r\n\x1A\n\0\0\0").status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ParseMail("X-Custom: only\n\nbody\n").status().code(), StatusCode::kInvalidInput);
}

TEST(MimeParseTest, HostileNestingIsBounded) {
  std::string message = "From: a@example.com\n";
  const int depth = 200;
  for (int i = 0; i < depth; ++i) {
    message += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
               std::to_string(i) + "\n";
  }
  message += "Content-Type: text/plain\n\ndeep\n";
  auto parsed = ParseMail(message);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(HasFlag(*parsed, "mime-too-deep"));
}

TEST(TextConvertTest, MakeValidUtf8) {
  bool changed = false;
  EXPECT_EQ(MakeValidUtf8("ok", &changed), "ok");
  EXPECT_FALSE(changed);
  EXPECT_EQ(MakeValidUtf8(std::string("a\0b", 3), &changed), "ab");
  EXPECT_TRUE(changed);
  EXPECT_EQ(MakeValidUtf8("\xC3"), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace sunshine::mail
