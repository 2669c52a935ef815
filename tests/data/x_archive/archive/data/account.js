window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "amal@example.invalid",
      "createdVia" : "android",
      "username" : "harbour_nurse",
      "accountId" : "3001",
      "createdAt" : "2019-05-01T10:00:00.000Z",
      "accountDisplayName" : "Amal – harbour clinic"
    }
  }
]
