"""Read HTML back with the standard library's parser: tags seen, text, image sources."""

from html.parser import HTMLParser


class HtmlText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs)["src"])

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> HtmlText:
    parser = HtmlText()
    parser.feed(html)
    return parser
