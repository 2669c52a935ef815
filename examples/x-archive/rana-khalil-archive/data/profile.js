window.YTD.profile.part0 = [
  {
    "profile" : {
      "description" : {
        "bio" : "Freelance journalist in Sarvan. صحفية مستقلة من سرفان.",
        "website" : "",
        "location" : "Sarvan"
      }
    }
  }
]