class Mailer:
    def __init__(self):
        self.outbox = []

    def send(self, to):
        self.outbox.append(to)


def notify(mailer):
    mailer.send("ops")
