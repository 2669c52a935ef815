window.YTD.account.part0 = [
  {
    "account" : {
      "createdVia" : "web",
      "username" : "rana_khalil_news",
      "accountId" : "1290011223344556033",
      "createdAt" : "2020-07-29T11:04:18.000Z",
      "accountDisplayName" : "Rana Khalil | رنا خليل"
    }
  }
]